package dev.steward.review10;

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

/**
 * Steward.eraseTenant keeps a governance tombstone "so that events of the tenant from before the
 * erasure still on their way do not rebuild" its governance data. The metrics stay empty, but the
 * listener still asks for the tenant's evaluation, which stores a standing for the erased tenant.
 */
class TenantTombstoneReview10Test {
  private static final TenantId ALPHA = TenantId.of("alpha");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  private EmailEvent event(String id, EmailEventType type, Instant at) {
    return EmailEvent.builder(id, type, at)
        .tenant(ALPHA)
        .account(AccountId.of("acct"))
        .contact(ContactId.of("sam"))
        .email("sam@alpha.example")
        .build();
  }

  @Test
  void eventsOfBeforeTheErasureStoreNoStandingForTheErasedTenant() {
    Steward steward = Steward.builder(clock).transport(RecordingTransport.of()).build();
    Instant sent = clock.instant();
    steward.accept(List.of(event("ev-1", EmailEventType.DELIVERED, sent)));
    steward.runDue();
    assertThat(steward.stores().standings().find(ALPHA)).isPresent();

    steward.eraseTenant(ALPHA);
    assertThat(steward.stores().standings().find(ALPHA)).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    // the provider redelivers a batch of before the erasure
    steward.accept(
        List.of(
            event("ev-1", EmailEventType.DELIVERED, sent),
            event("ev-2", EmailEventType.SPAM_REPORT, sent)));
    steward.runDue();

    assertThat(steward.stores().standings().find(ALPHA))
        .as("the erased tenant is back in the standing store")
        .isEmpty();
  }
}
