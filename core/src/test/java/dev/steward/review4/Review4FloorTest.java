package dev.steward.review4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The platform floor beside a tenant's policy ({@code FrequencyCapLimiter.Builder#floor}). */
class Review4FloorTest {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final TenantId T = TenantId.of("t1");

  private final SettableClock clock = SettableClock.of(MON_10);

  private static Message promo(ZoneId zone) {
    Message.Builder b =
        Message.builder()
            .tenant(T)
            .account(AccountId.of("acme"))
            .contact(ContactId.of("ada"))
            .to("ada@example.com")
            .kind(MessageKind.PROMOTIONAL)
            .category("offers")
            .source(Source.MARKETING)
            .priority(Priority.NORMAL)
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"));
    if (zone != null) {
      b.recipientZone(zone);
    }
    return b.build();
  }

  /**
   * A floor cap whose id is valid (200 characters, the longest {@code Cap} accepts) makes every
   * decision of every tenant throw: {@code CompiledPolicy} renames the floor's caps to {@code
   * "floor:" + id} through {@code Cap.withId}, which re-validates the id and refuses 206
   * characters. The floor is accepted by the builder and only fails at the first decision, in
   * production, for every tenant at once. (Cool-downs are prefixed without re-validation, so only
   * caps break.)
   */
  @Test
  void aFloorCapWithTheLongestValidIdBreaksEveryDecision() {
    String id = "x".repeat(200);
    CapPolicy floor =
        CapPolicy.builder()
            .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))).withId(id))
            .build();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(CapPolicy.builder().build())
            .floor(floor)
            .build();

    assertThatCode(() -> limiter.decide(promo(ZoneOffset.UTC))).doesNotThrowAnyException();
  }

  /**
   * The builder documents zones under a floor as "the tenant's fixed zone or default zone, else the
   * floor's ... the tenant's knowledge of its recipients comes first". But {@code CompiledPolicy}
   * (fixedZone = policy.zone() else floor.zone()) lets a floor's fixed zone win over the tenant's
   * default zone and over the recipient's own zone: a tenant whose policy says "quiet 22:00-08:00,
   * recipients default to Tokyo" gets its quiet hours read in the floor's UTC, so a promotion goes
   * out at 23:00 in Tokyo.
   */
  @Test
  void aFloorsFixedZoneOverridesTheTenantsDefaultZoneAndTheRecipientsZone() {
    CapPolicy tenant =
        CapPolicy.builder()
            .quietHours(LocalTime.of(22, 0), LocalTime.of(8, 0))
            .defaultZone(ZoneId.of("Asia/Tokyo"))
            .build();
    CapPolicy floor = CapPolicy.builder().zone(ZoneOffset.UTC).build();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
            .policy(tenant)
            .floor(floor)
            .build();
    // 14:00 UTC is 23:00 in Tokyo: inside the tenant's quiet hours
    Instant at = Instant.parse("2026-01-05T14:00:00Z");

    Decision noZone = limiter.whatIf(promo(null), at);
    Decision tokyo = limiter.whatIf(promo(ZoneId.of("Asia/Tokyo")), at);

    assertThat(noZone.outcome()).as("tenant default zone Tokyo").isEqualTo(Outcome.DEFER);
    assertThat(tokyo.outcome()).as("recipient zone Tokyo").isEqualTo(Outcome.DEFER);
  }
}
