package dev.steward.frequency;

import static dev.steward.frequency.Messages.promo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Caps per tenant: the same contact id under two tenants is counted apart, each tenant under its
 * own policy, a policy change applies to the next decision, and a platform floor's stricter rule
 * wins.
 */
class TenantPolicyTest {
  // a Monday
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final TenantId ONE = TenantId.of("t1");
  private static final TenantId TWO = TenantId.of("t2");

  private final SettableClock clock = SettableClock.of(MON_10);
  private final InMemoryCapLedgerStore store = InMemoryCapLedgerStore.of();
  private final Map<TenantId, CapPolicy> policies = new ConcurrentHashMap<>();

  private static CapPolicy perDay(int max) {
    return CapPolicy.builder().cap(Cap.perContact(max, Window.rolling(Duration.ofDays(1)))).build();
  }

  private static Message promoOf(TenantId tenant, String contact) {
    return promo(contact).toBuilder().tenant(tenant).build();
  }

  private FrequencyCapLimiter limiter(CapPolicy floor) {
    return FrequencyCapLimiter.builder(store, clock).policies(policies::get).floor(floor).build();
  }

  private static Reason reason(Decision d, String rule) {
    return d.reasons().stream().filter(r -> r.rule().equals(rule)).findFirst().orElseThrow();
  }

  @Test
  void theSameContactUnderTwoTenantsIsCountedApartEachUnderItsOwnPolicy() {
    policies.put(ONE, perDay(1));
    policies.put(TWO, perDay(2));
    FrequencyCapLimiter limiter = limiter(null);

    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    assertThat(limiter.decide(promoOf(ONE, "ada")).outcome()).isEqualTo(Outcome.DEFER);
    // tenant two's ada is another contact, under a policy of two a day
    assertThat(limiter.decide(promoOf(TWO, "ada")).isAllowed()).isTrue();
    assertThat(limiter.decide(promoOf(TWO, "ada")).isAllowed()).isTrue();
    assertThat(limiter.decide(promoOf(TWO, "ada")).outcome()).isEqualTo(Outcome.DEFER);

    assertThat(limiter.policy(ONE)).isEqualTo(perDay(1));
    assertThat(limiter.policy(TWO)).isEqualTo(perDay(2));
    // erasing one tenant leaves the other's counts
    assertThat(store.eraseTenant(ONE)).isEqualTo(1);
    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    assertThat(limiter.decide(promoOf(TWO, "ada")).outcome()).isEqualTo(Outcome.DEFER);
  }

  @Test
  void eachTenantsJourneyLimitIsResolvedFromItsOwnPolicy() {
    // enforced by the journey scheduler (Steward hands it each tenant's limit); read from here
    policies.put(ONE, CapPolicy.builder().maxConcurrentJourneys(1).build());
    policies.put(TWO, CapPolicy.builder().maxConcurrentJourneys(3).build());
    FrequencyCapLimiter limiter = limiter(null);

    assertThat(limiter.policy(ONE).maxConcurrentJourneys()).hasValue(1);
    assertThat(limiter.policy(TWO).maxConcurrentJourneys()).hasValue(3);
  }

  @Test
  void aPolicyChangeAppliesToTheNextDecisionAndEarlierSendsStillCount() {
    policies.put(ONE, perDay(3));
    FrequencyCapLimiter limiter = limiter(null);

    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();

    // the tenant tightens its policy: the two sends made under the old one count against it
    policies.put(ONE, perDay(2));
    clock.advance(Duration.ofMinutes(1));
    Decision third = limiter.decide(promoOf(ONE, "ada"));

    assertThat(third.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(third.notBefore().orElseThrow()).isEqualTo(MON_10.plus(Duration.ofDays(1)));
    assertThat(reason(third, "contact-2-per-P1D").usage().orElseThrow().used()).isEqualTo(2);

    // and loosens it again, with an equal but fresh instance (as read from a database)
    policies.put(ONE, CapPolicy.fromJson(perDay(3).toJson()));
    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
  }

  @Test
  void aLongerWindowFindsSendsKeptByTheRetentionThoughTheOldPolicyNoLongerReadThem() {
    policies.put(ONE, perDay(1));
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .policies(policies::get)
            .retainAtLeast(Duration.ofDays(30))
            .build();

    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    clock.advance(Duration.ofDays(3));
    // a later send prunes only what the retention lets go: the first send stays
    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    assertThat(limiter.lookback()).isEqualTo(Duration.ofDays(30));

    policies.put(
        ONE,
        CapPolicy.builder().cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7)))).build());
    clock.advance(Duration.ofDays(1));
    Decision d = limiter.decide(promoOf(ONE, "ada"));

    assertThat(d.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(d.notBefore().orElseThrow()).isEqualTo(MON_10.plus(Duration.ofDays(7)));
  }

  @Test
  void theFloorsStricterRulesWinAndAreNamedAsTheFloors() {
    policies.put(
        ONE,
        CapPolicy.builder()
            .cap(Cap.perContact(5, Window.rolling(Duration.ofDays(1))))
            .quietHours(LocalTime.of(22, 0), LocalTime.of(7, 0))
            .maxConcurrentJourneys(3)
            .build());
    CapPolicy floor =
        CapPolicy.builder()
            .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))))
            .quietHours(LocalTime.of(20, 0), LocalTime.of(8, 0))
            .maxConcurrentJourneys(1)
            .build();
    FrequencyCapLimiter limiter = limiter(floor);

    assertThat(limiter.decide(promoOf(ONE, "ada")).isAllowed()).isTrue();
    Decision second = limiter.decide(promoOf(ONE, "ada"));

    // the floor's cap of 1 a day holds, though the tenant allows 5
    assertThat(second.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(reason(second, "floor:contact-1-per-P1D").effect()).isEqualTo(Outcome.DEFER);
    assertThat(reason(second, "contact-5-per-P1D").effect()).isEqualTo(Outcome.ALLOW);
    // Tuesday 10:00 is the first instant: outside both quiet hours
    assertThat(second.notBefore().orElseThrow()).isEqualTo(MON_10.plus(Duration.ofDays(1)));

    // at 21:00 the floor's quiet hours (20:00-08:00) hold, though the tenant's start at 22:00
    Message bob = promoOf(ONE, "bob");
    Decision evening = limiter.whatIf(bob, Instant.parse("2026-01-05T21:00:00Z"));
    assertThat(evening.outcome()).isEqualTo(Outcome.DEFER);
    assertThat(evening.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(reason(evening, "floor:quiet-hours").allowedFrom())
        .contains(Instant.parse("2026-01-06T08:00:00Z"));
    assertThat(reason(evening, "quiet-hours").effect()).isEqualTo(Outcome.ALLOW);

    assertThat(limiter.floor()).contains(floor);
  }

  @Test
  void aMessageIsExemptOnlyWhenBothPoliciesExemptIt() {
    policies.put(
        ONE,
        CapPolicy.builder()
            .cap(Cap.perContact(0, Window.day()))
            .defaultZone(ZoneId.of("UTC"))
            .exemptKinds(java.util.List.of(MessageKind.TRANSACTIONAL, MessageKind.PROMOTIONAL))
            .build());
    FrequencyCapLimiter limiter = limiter(CapPolicy.builder().build());

    // the floor exempts only TRANSACTIONAL (the default), so the tenant's cap of 0 applies
    assertThat(limiter.decide(promoOf(ONE, "ada")).outcome()).isEqualTo(Outcome.SUPPRESS);
  }

  @Test
  void aResolverGivingNoPolicyIsAnErrorNamingTheTenant() {
    FrequencyCapLimiter limiter = limiter(null);

    assertThatThrownBy(() -> limiter.decide(promoOf(TWO, "ada")))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("t2");
  }
}
