package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ContactConsent;
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

/**
 * Provider events accepted before a contact's erasure and applied after it write nothing about the
 * erased contact: not consent, not a calendar complaint.
 */
class StewardErasureTombstoneTest {
  private static final TenantId ALPHA = TenantId.of("alpha");
  private static final ContactId SAM = ContactId.of("sam");
  private static final AccountId ACCT = AccountId.of("acct");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  private EmailEvent event(String id, EmailEventType type, String category) {
    return EmailEvent.builder(id, type, clock.instant())
        .tenant(ALPHA)
        .account(ACCT)
        .contact(SAM)
        .category(category)
        .email("sam@alpha.example")
        .build();
  }

  @Test
  void aBatchAcceptedBeforeTheErasureWritesNothingAboutTheContactAfterIt() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    steward.accept(
        List.of(
            event("ev-1", EmailEventType.GROUP_RESUBSCRIBE, "news"),
            event("ev-2", EmailEventType.UNSUBSCRIBE, null),
            event("ev-3", EmailEventType.SPAM_REPORT, null)));
    Instant erasedAt = clock.instant();

    steward.eraseContact(ALPHA, SAM);
    clock.advance(Duration.ofMinutes(1));
    steward.runDue();

    assertThat(steward.preferences().consent(ALPHA, SAM))
        .isEqualTo(ContactConsent.tombstone(ALPHA, SAM, erasedAt));
    Instant from = erasedAt.minus(Duration.ofDays(1));
    Instant to = clock.instant().plus(Duration.ofDays(1));
    assertThat(steward.calendar().forContact(ALPHA, SAM, from, to)).isEmpty();
    assertThat(steward.calendar().forAccount(ALPHA, ACCT, from, to)).isEmpty();
  }

  @Test
  void aContactWhoSignsUpAgainAfterTheErasureIsBack() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    steward.eraseContact(ALPHA, SAM);
    clock.advance(Duration.ofMinutes(1));

    steward.preferences().subscribe(ALPHA, SAM, "news", "signup-form", clock.instant());
    steward.accept(List.of(event("ev-4", EmailEventType.SPAM_REPORT, null)));
    steward.runDue();

    assertThat(steward.preferences().records(ALPHA, SAM)).hasSize(2);
    assertThat(steward.preferences().isOptedOut(ALPHA, SAM)).isTrue();
    assertThat(
            steward
                .calendar()
                .forAccount(
                    ALPHA, ACCT, clock.instant().minusSeconds(1), clock.instant().plusSeconds(1)))
        .hasSize(1);
  }

  @Test
  void eventsOfAnErasedTenantFromBeforeItsErasureRebuildNoGovernanceMetrics() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    Instant sent = clock.instant();
    steward.accept(List.of(event("ev-5", EmailEventType.DELIVERED, null)));
    steward.runDue();

    steward.eraseTenant(ALPHA);
    clock.advance(Duration.ofMinutes(1));
    // the provider redelivers a batch of before the erasure (a retry, another endpoint)
    steward.accept(
        List.of(
            timed("ev-5", EmailEventType.DELIVERED, sent),
            timed("ev-6", EmailEventType.SPAM_REPORT, sent),
            timed("ev-7", EmailEventType.OPEN, sent)));
    steward.runDue();

    dev.steward.governance.MetricsKey key = dev.steward.governance.MetricsKey.of(ALPHA);
    assertThat(steward.governance().readings(key))
        .allSatisfy(
            r -> assertThat(r.counts()).isEqualTo(dev.steward.governance.MetricCounts.ZERO));
    assertThat(
            steward
                .stores()
                .governanceMetrics()
                .activity(ALPHA, List.of(dev.steward.model.EmailAddress.of("sam@alpha.example"))))
        .isEmpty();

    // the tenant's mail after the erasure counts
    steward.accept(List.of(event("ev-8", EmailEventType.DELIVERED, null)));
    steward.runDue();
    assertThat(steward.governance().readings(key))
        .anySatisfy(r -> assertThat(r.counts().delivered()).isEqualTo(1));
  }

  private EmailEvent timed(String id, EmailEventType type, Instant at) {
    return EmailEvent.builder(id, type, at)
        .tenant(ALPHA)
        .account(ACCT)
        .contact(SAM)
        .email("sam@alpha.example")
        .build();
  }
}
