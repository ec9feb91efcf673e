package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceWorld;
import dev.steward.governance.GovernanceWorld.Mix;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.testing.InMemoryIpPoolAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Virtual weeks of mail, judged by governance as it runs in production (events counted, standing
 * evaluated at 23:30 each day), with the pool plan made and applied after each evaluation.
 */
class IpPoolScenarioTest {
  private static final PoolName PREMIUM_TX = PoolName.of("premium-tx");
  private static final PoolName PREMIUM_MK = PoolName.of("premium-mk");

  private static final TierConfig CONFIG =
      TierConfig.builder()
          .premiumDaily(800, 400)
          .pool(Tier.PREMIUM, Stream.TRANSACTIONAL, PREMIUM_TX)
          .pool(Tier.PREMIUM, Stream.MARKETING, PREMIUM_MK)
          .build();

  /** One tenant's world: governance, onboarding, the pools and the plans applied each day. */
  private static final class World {
    final GovernanceWorld governance;
    final InMemoryOnboardingStore onboarding = InMemoryOnboardingStore.of();
    final InMemoryPoolAssignmentStore assignments = InMemoryPoolAssignmentStore.of();
    final InMemoryIpPoolAdmin admin;
    final PoolPlanner planner;
    final PoolPlanApplier applier;
    final List<Tier> tiers = new ArrayList<>();
    final List<Level> levels = new ArrayList<>();

    World(TenantId tenant) {
      governance = GovernanceWorld.inMemory(tenant, Ladder.ofDefaults());
      admin = InMemoryIpPoolAdmin.of(governance.clock);
      GovernanceWorld.Instance i = governance.instances.get(0);
      planner =
          PoolPlanner.builder(
                  IpPoolStrategy.tiered(CONFIG),
                  assignments,
                  i.metrics(),
                  i.standings(),
                  governance.clock)
              .onboarding(onboarding)
              .build();
      applier = PoolPlanApplier.builder(admin, assignments, governance.clock).build();
      int n = 1;
      for (Tier t : List.of(Tier.WARMUP, Tier.STANDARD, Tier.QUARANTINE)) {
        for (Stream s : Stream.values()) {
          ready(CONFIG.pool(t, s), n++);
        }
      }
      ready(PREMIUM_TX, n++);
      ready(PREMIUM_MK, n);
    }

    private void ready(PoolName pool, int n) {
      admin.registerReadyIp("192.0.2." + n, "o" + n + ".mail.example.com");
      applier.addIp(pool, IpAddress.of("192.0.2." + n));
    }

    /** One day of mail, governance's evaluation, then a plan applied; the marketing tier. */
    Tier day(Mix mix) {
      levels.add(governance.sendDay(mix).level());
      ApplyResult r = applier.apply(planner.plan(List.of(governance.tenant)));
      assertThat(r.complete()).as("plan of day %s: %s", tiers.size() + 1, r).isTrue();
      Tier t =
          assignments
              .find(governance.tenant, Stream.MARKETING)
              .map(PoolAssignment::tier)
              .orElse(null);
      tiers.add(t);
      return t;
    }

    void days(int n, Mix mix) {
      for (int k = 0; k < n; k++) {
        day(mix);
      }
    }

    List<PoolChange> changes() {
      return assignments.changes(governance.tenant, 1000).stream()
          .filter(c -> c.stream() == Stream.MARKETING)
          .toList();
    }
  }

  private static OnboardingRecord record(TenantId t, OnboardingState s, long version) {
    return new OnboardingRecord(
        t,
        s,
        version,
        Actor.rule("test"),
        GovernanceWorld.START,
        Map.of(s, GovernanceWorld.START),
        List.of(),
        List.of(),
        Optional.empty());
  }

  @Test
  void aNewTenantWarmsUpThenGraduatesToTheStandardPoolAndEarnsThePremiumOne() {
    TenantId t = TenantId.of("newcomer");
    World w = new World(t);
    w.onboarding.insert(record(t, OnboardingState.PILOT, 1));

    w.days(10, Mix.clean(1000));
    assertThat(w.tiers).containsOnly(Tier.WARMUP);
    assertThat(w.changes().get(0).reason().onboarding()).contains(OnboardingState.PILOT);

    assertThat(w.onboarding.replace(1, record(t, OnboardingState.ACTIVE, 2))).isTrue();
    assertThat(w.day(Mix.clean(1000))).isEqualTo(Tier.STANDARD);
    PoolChange graduated = w.changes().get(1);
    assertThat(graduated.from()).contains(CONFIG.pool(Tier.WARMUP, Stream.MARKETING));
    assertThat(graduated.reason().cause()).isEqualTo(MoveReason.Cause.ONBOARDING);
    assertThat(graduated.reason().explanation()).contains("graduated");

    // premium needs 14 clean days: the standing has been clean since the first evaluation (day 1)
    w.days(3, Mix.clean(1000));
    assertThat(w.tiers.subList(10, 14)).containsOnly(Tier.STANDARD);
    assertThat(w.day(Mix.clean(1000))).isEqualTo(Tier.PREMIUM);
    PoolChange premium = w.changes().get(2);
    assertThat(premium.reason().cause()).isEqualTo(MoveReason.Cause.RECOVERY);
    assertThat(premium.reason().explanation()).contains("clean for 14 days");
    // transactional and marketing mail of the tenant leave from their own premium pools
    assertThat(w.assignments.find(t, Stream.TRANSACTIONAL).orElseThrow().pool())
        .isEqualTo(PREMIUM_TX);
    assertThat(w.assignments.find(t, Stream.MARKETING).orElseThrow().pool()).isEqualTo(PREMIUM_MK);
    assertThat(w.admin.tenantPools(t))
        .containsEntry(Stream.TRANSACTIONAL, PREMIUM_TX)
        .containsEntry(Stream.MARKETING, PREMIUM_MK);
  }

  @Test
  void risingBouncesLeavePremiumAtWarnAreQuarantinedAndAfterRecoveryReturnWithHysteresis() {
    TenantId t = TenantId.of("bouncer");
    World w = new World(t);

    assertThat(w.day(Mix.clean(1000))).isEqualTo(Tier.STANDARD);
    w.days(14, Mix.clean(1000));
    assertThat(w.tiers.get(14)).isEqualTo(Tier.PREMIUM);

    // 2.4% hard bounces: governance warns, and the tenant leaves the premium pool the same day
    assertThat(w.day(new Mix(1000, 0, 25, 0))).isEqualTo(Tier.STANDARD);
    assertThat(w.levels.get(15)).isEqualTo(Level.WARN);
    PoolChange left = w.changes().get(w.changes().size() - 1);
    assertThat(left.reason().cause()).isEqualTo(MoveReason.Cause.METRIC);
    assertThat(left.reason().metric())
        .contains(dev.steward.governance.GovernanceMetric.HARD_BOUNCE_RATE);
    assertThat(left.reason().explanation())
        .contains("hard-bounce-rate")
        .contains("before it damages");

    // 6.5%: quarantined by governance, moved to the quarantine pool at once
    assertThat(w.day(new Mix(1000, 0, 70, 0))).isEqualTo(Tier.QUARANTINE);
    assertThat(w.levels.get(16)).isEqualTo(Level.QUARANTINE);
    PoolChange quarantined = w.changes().get(w.changes().size() - 1);
    assertThat(quarantined.reason().level()).contains(Level.QUARANTINE);
    assertThat(quarantined.from()).contains(CONFIG.pool(Tier.STANDARD, Stream.MARKETING));

    // clean mail: out of quarantine the day governance steps down, premium only 14 days after
    // the standing is clean again
    w.days(45, Mix.clean(1000));
    for (int d = 0; d < w.tiers.size(); d++) {
      Level level = w.levels.get(d);
      Tier tier = w.tiers.get(d);
      assertThat(tier == Tier.QUARANTINE)
          .as("day %s: level %s, tier %s", d + 1, level, tier)
          .isEqualTo(level.compareTo(Level.QUARANTINE) >= 0);
      if (tier == Tier.PREMIUM) {
        assertThat(level).as("day %s", d + 1).isEqualTo(Level.NONE);
      }
    }
    int backToNone = w.levels.subList(17, w.levels.size()).indexOf(Level.NONE) + 17;
    int backToPremium = w.tiers.subList(17, w.tiers.size()).indexOf(Tier.PREMIUM) + 17;
    assertThat(backToNone).isGreaterThan(17);
    assertThat(backToPremium).isEqualTo(backToNone + 14);
    PoolChange returned = w.changes().get(w.changes().size() - 1);
    assertThat(returned.tier()).isEqualTo(Tier.PREMIUM);
    assertThat(returned.reason().cause()).isEqualTo(MoveReason.Cause.RECOVERY);
    // standard -> premium -> standard -> quarantine -> standard -> premium: nothing more
    assertThat(w.changes())
        .extracting(PoolChange::tier)
        .containsExactly(
            Tier.STANDARD,
            Tier.PREMIUM,
            Tier.STANDARD,
            Tier.QUARANTINE,
            Tier.STANDARD,
            Tier.PREMIUM);
  }

  @Test
  void aTenantHoveringAtTheWarnThresholdLeavesPremiumOnceAndDoesNotFlap() {
    TenantId t = TenantId.of("hoverer");
    World w = new World(t);
    w.days(15, Mix.clean(1000));
    assertThat(w.tiers.get(14)).isEqualTo(Tier.PREMIUM);

    for (int d = 0; d < 20; d++) {
      // 2.1% and 1.9% of sent, day after day: across the warn threshold and back
      w.day(new Mix(1000, 0, d % 2 == 0 ? 22 : 19, 0));
    }

    assertThat(w.changes())
        .extracting(PoolChange::tier)
        .containsExactly(Tier.STANDARD, Tier.PREMIUM, Tier.STANDARD);
    assertThat(w.tiers.subList(15, 35)).containsOnly(Tier.STANDARD);
  }
}
