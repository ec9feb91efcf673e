package dev.steward.review4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * PreferenceCentre promises that changes from provider events "older than the newest record of the
 * same scope are ignored, so a late, repeated unsubscribe event never undoes a later opt-in": the
 * same order-independence the suppression list promises. It does not hold for a later unsubscribe
 * that arrives while the contact is already unsubscribed.
 */
class Review4ConsentOrderTest {
  private static final TenantId T = TenantId.of("t1");
  private static final ContactId ADA = ContactId.of("ada");
  private static final Instant T1 = Instant.parse("2026-01-05T10:00:00Z");
  private static final Instant T2 = T1.plusSeconds(60);
  private static final Instant T3 = T1.plusSeconds(120);

  /**
   * Unsubscribe (t1), resubscribe (t2), unsubscribe (t3) end unsubscribed in order; delivered t1,
   * t3, t2 they end subscribed. {@code PreferenceCentre.unsubscribe} returns early when the
   * category is already unsubscribed (PreferenceCentre.java:257), so the t3 record is never
   * written; the late t2 resubscribe is then not stale (the newest record is t1) and subscribes the
   * contact again: the recipient's last "stop" is lost. (Pre-dates cc2993b; the same pattern was
   * copied into the new suppression list, see Review4SuppressionOrderTest.) The same holds for
   * optOut/optIn (PreferenceCentre.java:92). Fix: when already in the requested state, still record
   * the newer evidence (or at least advance the scope's newest time) so that older opposite changes
   * are stale.
   */
  @Test
  void aLaterUnsubscribeArrivingBeforeAnEarlierResubscribeIsLost() {
    SettableClock clock = SettableClock.of(T3.plusSeconds(60));
    PreferenceCentre inOrder = PreferenceCentre.of(InMemoryConsentStore.of(), clock);
    inOrder.unsubscribe(T, ADA, "offers", "provider", T1);
    inOrder.subscribe(T, ADA, "offers", "provider", T2);
    inOrder.unsubscribe(T, ADA, "offers", "provider", T3);

    PreferenceCentre outOfOrder = PreferenceCentre.of(InMemoryConsentStore.of(), clock);
    outOfOrder.unsubscribe(T, ADA, "offers", "provider", T1);
    outOfOrder.unsubscribe(T, ADA, "offers", "provider", T3);
    outOfOrder.subscribe(T, ADA, "offers", "provider", T2);

    assertThat(inOrder.isUnsubscribed(T, ADA, "offers")).as("in order").isTrue();
    assertThat(outOfOrder.isUnsubscribed(T, ADA, "offers")).as("t1, t3, then late t2").isTrue();
  }
}
