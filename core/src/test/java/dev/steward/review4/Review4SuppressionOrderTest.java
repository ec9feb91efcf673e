package dev.steward.review4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.AddressSuppressions;
import dev.steward.consent.Delisting;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.consent.SuppressionStore;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The suppression list promises (SuppressionStore, Suppressions) that "events applied twice, late
 * or out of order leave the list as applying them once in order would".
 */
class Review4SuppressionOrderTest {
  private static final TenantId T = TenantId.of("t1");
  private static final EmailAddress ADA = EmailAddress.of("ada@example.com");
  private static final Instant T1 = Instant.parse("2026-01-05T10:00:00Z");
  private static final Instant T2 = T1.plusSeconds(60);
  private static final Instant T3 = T1.plusSeconds(120);

  private static Suppression unsubscribe(Instant at) {
    return Suppression.group(T, ADA, "offers", at, "provider:group-unsubscribe");
  }

  private static Delisting resubscribe(Instant at) {
    return Delisting.group(T, ADA, "offers", at, "provider:group-resubscribe", "resubscribed");
  }

  private static boolean suppressed(SuppressionStore store) {
    return store
        .find(T, ADA)
        .flatMap(
            (AddressSuppressions a) ->
                a.active(SuppressionReason.GROUP_UNSUBSCRIBE, Optional.of("offers")))
        .isPresent();
  }

  /**
   * Unsubscribe (t1), resubscribe (t2), unsubscribe again (t3): in order the address ends
   * unsubscribed. Delivered as t1, t3, t2 (webhooks are not ordered) it ends subscribed: {@code
   * Suppressions.add} (Suppressions.java:76) treats the t3 unsubscribe as a duplicate of the active
   * t1 one and drops it, keeping {@code since = t1}; then {@code Suppressions.remove} sees the t2
   * resubscribe as newer than t1 and lifts the suppression. The recipient's last word (stop) is
   * lost and mail from the group resumes: a compliance failure. Fix: when a suppression of the same
   * kind is active, keep the later {@code since} (or keep the newest suppression time apart from
   * the active one) so that an older removal cannot lift it.
   */
  @Test
  void aLaterUnsubscribeArrivingBeforeAnEarlierResubscribeIsLost() {
    SuppressionStore inOrder = InMemorySuppressionStore.of();
    inOrder.add(unsubscribe(T1));
    inOrder.remove(resubscribe(T2));
    inOrder.add(unsubscribe(T3));

    SuppressionStore outOfOrder = InMemorySuppressionStore.of();
    outOfOrder.add(unsubscribe(T1));
    outOfOrder.add(unsubscribe(T3));
    outOfOrder.remove(resubscribe(T2));

    assertThat(suppressed(inOrder)).as("in order").isTrue();
    assertThat(suppressed(outOfOrder)).as("t1, t3, then the late t2").isTrue();
  }
}
