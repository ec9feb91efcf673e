package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A reader that found a tenant's counts just before an erasure dropped them reads them after: what
 * they hold was erased, so they answer as the empty object that replaced them does.
 */
class DroppedTenantCountsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void droppedCountsKnowNoRecipient() {
    TenantCounts t = new TenantCounts();
    EmailAddress a = EmailAddress.of("a@x.example");
    assertThat(t.touch(new ActivityTouch(TenantId.of("acme"), a, false, T0))).isTrue();
    Instant later = T0.plus(Duration.ofDays(200));
    assertThat(t.activityOf(a)).isNotNull();
    assertThat(t.inactiveAt(a, later, Duration.ofDays(180))).isTrue();

    t.drop(); // erased (or emptied by a purge) while a reader held it

    assertThat(t.activityOf(a)).isNull();
    assertThat(t.inactiveAt(a, later, Duration.ofDays(180))).isFalse();
  }
}
