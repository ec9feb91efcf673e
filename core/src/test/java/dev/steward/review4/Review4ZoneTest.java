package dev.steward.review4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Optional recipient zones through the front door. */
class Review4ZoneTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  /**
   * FrequencyCapLimiter, CapPolicy.defaultZone and the README promise that a message without a zone
   * is refused only "under a policy with such a rule" (one that reads local time). But {@code
   * CompiledPolicy} sets {@code readsLocalTime = calendar || preferences || ...}
   * (CompiledPolicy.java:182), where {@code preferences} means only that the limiter was given a
   * preference source, and {@code Steward} always gives it one ({@code .consent(stores.consent())},
   * Steward.java:94). So through the front door every zone-less message is refused with {@code
   * MissingZoneException} ("a rule reads local time") under every policy: here a rolling-window cap
   * that reads no local time, for a contact who chose no frequency. Zones are not optional in the
   * common case; a team moving to Steward gets an exception per message. Fix: decide whether local
   * time is needed per message, after looking up the contact's chosen frequency (only a chosen
   * frequency reads a calendar window), or document that Steward requires a zone.
   */
  @Test
  void aMessageWithoutZoneIsRefusedUnderAPolicyWithNoRuleReadingLocalTime() {
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .transport(transport)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(3, Window.rolling(Duration.ofDays(1))))
                    .build())
            .build();
    Message m =
        Message.builder()
            .tenant(TenantId.of("alpha"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("sam"))
            .to("sam@alpha.example")
            .kind(MessageKind.PROMOTIONAL)
            .category("news")
            .source(Source.MARKETING)
            .createdAt(clock.instant())
            .build();

    DispatchResult r = steward.dispatch(m);

    assertThat(r.status()).isEqualTo(DispatchStatus.SENT);
  }
}
