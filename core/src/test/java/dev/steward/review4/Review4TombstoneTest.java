package dev.steward.review4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The consent tombstone left by an erasure ({@code PreferenceCentre.erase}). */
class Review4TombstoneTest {
  private static final TenantId ALPHA = TenantId.of("alpha");
  private static final ContactId SAM = ContactId.of("sam");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  /**
   * ConsentEventListener promises that "a batch accepted before the erasure and applied after it
   * cannot bring the contact back". But an event whose provider clock ran ahead of ours (here by 30
   * s, a small skew) is dated by our clock <em>when it is applied</em> (ConsentEventListener
   * .java:117, {@code at = min(occurredAt, now)}), not when it was accepted. Accepted before the
   * erasure and applied after it, it is therefore dated after the tombstone, passes {@code
   * Consents.erasedSince}, and writes a fresh consent record (a resubscribe) for the contact the
   * caller was told is erased. Fix: clamp to the acceptance time (the inbox knows it), or compare
   * the event's own {@code occurredAt} (unclamped) with the tombstone before clamping.
   */
  @Test
  void anEventDatedAheadOfOurClockAndAcceptedBeforeTheErasureRecreatesTheContact() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    steward.accept(
        List.of(
            EmailEvent.builder(
                    "ev-resub-ahead",
                    EmailEventType.GROUP_RESUBSCRIBE,
                    clock.instant().plusSeconds(30))
                .tenant(ALPHA)
                .category("news")
                .contact(SAM)
                .email("sam@alpha.example")
                .build()));

    clock.advance(Duration.ofSeconds(1));
    steward.eraseContact(ALPHA, SAM);
    clock.advance(Duration.ofSeconds(1));
    steward.runDue();

    assertThat(steward.preferences().records(ALPHA, SAM))
        .as("nothing about sam after the erasure")
        .isEmpty();
  }

  /**
   * The same skew against the calendar: {@code CalendarEventListener}
   * (CalendarEventListener.java:93) compares the event's unclamped {@code occurredAt} with the
   * erasure time, so a spam report accepted before the erasure but stamped 30 s ahead by the
   * provider's clock is judged "after the erasure" and a complaint entry naming the erased contact
   * is written after {@code eraseContact} returned. Fix: judge by the acceptance time (or erase the
   * calendar after the event work is drained/cancelled), not by a provider timestamp that may lie
   * in the future.
   */
  @Test
  void aSpamReportDatedAheadAndAcceptedBeforeTheErasureLeavesAComplaintNamingTheContact() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    Instant start = clock.instant();
    steward.accept(
        List.of(
            EmailEvent.builder("ev-spam-ahead", EmailEventType.SPAM_REPORT, start.plusSeconds(30))
                .tenant(ALPHA)
                .account(AccountId.of("acct"))
                .contact(SAM)
                .email("sam@alpha.example")
                .build()));

    clock.advance(Duration.ofSeconds(1));
    steward.eraseContact(ALPHA, SAM);
    clock.advance(Duration.ofSeconds(1));
    steward.runDue();

    assertThat(
            steward
                .calendar()
                .forContact(
                    ALPHA, SAM, start.minus(Duration.ofDays(1)), start.plus(Duration.ofDays(1))))
        .as("no calendar entry names sam after the erasure")
        .isEmpty();
  }
}
