package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.MoveReason;
import dev.steward.ippool.PoolAssignment;
import dev.steward.ippool.PoolAssignmentJob;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.ippool.TierConfig;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRechecks;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OutreachFlag;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.RecheckTargets;
import dev.steward.onboarding.Transition;
import dev.steward.onboarding.Verdict;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkKey;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Onboarding's later phases through the front door, over virtual days: the stores carry the
 * onboarding, pilot and pool stores; re-checks of blocklists run daily as due work; the pool
 * assignment job places tenants and moves those waiting to ACTIVE; outreach flags a tenant on the
 * warn rung once per episode. Run on every kind of {@link Stores}.
 */
abstract class StewardOnboardingWiringContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Actor RULE = Actor.rule("test");
  static final DnsBlocklist DBL = DnsBlocklist.of("dbl.example.org");
  static final String ACME_QUERY = "acme.example.dbl.example.org A";

  final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
  final List<StandingChanged> changes = new CopyOnWriteArrayList<>();

  /** Fresh, empty stores. */
  abstract Stores stores(Clock clock);

  static final RecheckTargets TARGETS = t -> Set.of(t.value() + ".example");

  Steward.Builder builder(Stores stores) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .standingListener(changes::add);
  }

  static void drain(Steward steward) {
    for (int i = 0; i < 100; i++) {
      if (steward.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

  /** Moves a new tenant through the three gates into {@code to} (PILOT or later). */
  void into(OnboardingStateMachine m, TenantId t, OnboardingState to) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
    if (to == OnboardingState.PILOT) {
      return;
    }
    m.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    if (to == OnboardingState.ACTIVE) {
      m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
    }
  }

  static List<PhaseVerdict> rechecks(OnboardingRecord r) {
    return r.verdicts().stream()
        .filter(v -> v.by().equals(OnboardingRechecks.RECHECK_RULE))
        .toList();
  }

  // ---- 1. the stores -------------------------------------------------------------------------

  @Test
  void theStoresCarryOnboardingPilotAndPoolsAndErasingATenantReachesAllThree() {
    Stores stores = stores(clock);
    Steward steward = builder(stores).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    m.enrol(ACME, RULE);
    m.enrol(GLOBEX, RULE);
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (TenantId t : List.of(ACME, GLOBEX)) {
      stores.pilot().reserve(t, day, MessageId.of("m-" + t), 10);
      stores
          .poolAssignments()
          .apply(
              new PoolChange(
                  t,
                  Stream.MARKETING,
                  1,
                  Optional.empty(),
                  PoolName.of("shared-standard"),
                  Tier.STANDARD,
                  MoveReason.of(MoveReason.Cause.MANUAL, "set by the test"),
                  "plan-test",
                  clock.instant()));
    }
    // the state machine works on the stores' own onboarding store
    assertThat(stores.onboarding().find(ACME)).isPresent();
    assertThat(stores.pilot().count(ACME, day)).isEqualTo(1);

    steward.eraseTenant(ACME);

    assertThat(stores.onboarding().find(ACME)).isEmpty();
    assertThat(stores.pilot().count(ACME, day)).isZero();
    assertThat(stores.pilot().find(ACME)).isEmpty();
    assertThat(stores.poolAssignments().assignments(ACME)).isEmpty();
    assertThat(stores.poolAssignments().changes(ACME, 10)).isEmpty();
    assertThat(stores.onboarding().find(GLOBEX)).isPresent();
    assertThat(stores.pilot().count(GLOBEX, day)).isEqualTo(1);
    assertThat(stores.poolAssignments().assignments(GLOBEX)).hasSize(1);
  }

  @Test
  void theJobsAreOffByDefaultAndBadSettingsAreRefusedWhenStewardIsBuilt() {
    Stores stores = stores(clock);
    Steward plain = builder(stores).build();
    assertThat(
            plain
                .stores()
                .work()
                .find(
                    WorkKey.of(
                        Recurring.SYSTEM_TENANT, OnboardingRechecks.SWEEP_KIND, Recurring.ID)))
        .isEmpty();
    assertThat(
            plain
                .stores()
                .work()
                .find(WorkKey.of(Recurring.SYSTEM_TENANT, PoolAssignmentJob.KIND, Recurring.ID)))
        .isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> builder(stores).onboardingRechecks(TARGETS, r -> {}).build())
        .isInstanceOf(dev.steward.onboarding.InvalidOnboardingInputException.class)
        .hasMessageContaining("nothing to re-check");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> builder(stores).outreach(o -> o.unengagedShare(2)).build())
        .isInstanceOf(dev.steward.onboarding.InvalidOnboardingInputException.class)
        .hasMessageContaining("unengagedShare");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                builder(stores)
                    .ipPoolAssignment(
                        IpPoolStrategy.tiered(),
                        InMemoryIpPoolAdmin.of(clock),
                        j -> j.every(Duration.ofMinutes(1)))
                    .build())
        .isInstanceOf(dev.steward.ippool.InvalidIpPoolException.class)
        .hasMessageContaining("every must be at least PT5M");
  }

  // ---- 2. re-checks ---------------------------------------------------------------------------

  @Test
  void blocklistsAreRecheckedDailyAndAListingIsRecordedAndWarnedWithoutMovingTheTenant() {
    Stores stores = stores(clock);
    dev.steward.testing.StaticDnsResolver dns = dev.steward.testing.StaticDnsResolver.of();
    Steward steward =
        builder(stores).onboardingRechecks(TARGETS, r -> r.blocklists(dns, List.of(DBL))).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.enrol(GLOBEX, RULE); // still in vetting: not re-checked
    drain(steward); // the sweep gives ACME its item, due a day later
    assertThat(dns.asked()).isEmpty();

    for (int day = 1; day <= 5; day++) {
      if (day == 3) {
        dns.set("acme.example.dbl.example.org", RecordType.A, "127.0.1.2"); // listed
      } else if (day == 4) {
        dns.set("acme.example.dbl.example.org", RecordType.A, "127.255.255.254"); // refused
      } else if (day == 5) {
        dns.remove("acme.example.dbl.example.org", RecordType.A);
      }
      clock.advance(Duration.ofDays(1));
      drain(steward);
      // a few hours later nothing runs again that day
      clock.advance(Duration.ofHours(5));
      drain(steward);
      clock.advance(Duration.ofHours(-5));
      assertThat(dns.asked().stream().filter(ACME_QUERY::equals).count())
          .as("one look-up per day, day %d", day)
          .isEqualTo(day);
    }
    assertThat(dns.asked()).allMatch(ACME_QUERY::equals); // globex, in vetting, never

    OnboardingRecord acme = stores.onboarding().find(ACME).orElseThrow();
    assertThat(acme.state())
        .as("a re-check never moves a tenant")
        .isEqualTo(OnboardingState.ACTIVE);
    assertThat(rechecks(acme))
        .extracting(PhaseVerdict::verdict)
        .as("days 1 and 2 passed (not recorded), 3 listed, 4 unchecked, 5 passed again")
        .containsExactly(Verdict.FAIL, Verdict.NEEDS_REVIEW, Verdict.PASS);
    PhaseVerdict listed = rechecks(acme).get(0);
    assertThat(listed.phase()).isEqualTo(OnboardingPhase.VETTING);
    assertThat(listed.at()).isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
    assertThat(listed.reason())
        .contains("re-check of blocklists")
        .contains("a domain is on a blocklist");
    assertThat(listed.findings()).anyMatch(f -> f.contains("acme.example") && f.contains("LISTED"));
    // the listing, and only it, raised a governance warning
    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.tenant()).isEqualTo(ACME);
              assertThat(c.to()).isEqualTo(Level.WARN);
              assertThat(c.explanation()).contains("re-check of blocklists");
            });
  }

  // ---- 3. pool assignment ---------------------------------------------------------------------

  @Test
  void aTenantWaitingForItsPoolIsPlacedByTheHourlyJobAndMovesToActiveWithTheReason() {
    Stores stores = stores(clock);
    InMemoryIpPoolAdmin admin =
        InMemoryIpPoolAdmin.of(clock).registerReadyIp("192.0.2.10", "mta1.isv.example");
    admin.createPool(TierConfig.DEFAULT_WARMUP_POOL);
    admin.addIp(TierConfig.DEFAULT_WARMUP_POOL, IpAddress.of("192.0.2.10"));
    admin.createPool(TierConfig.DEFAULT_STANDARD_POOL); // no IP yet: moves into it are blocked
    Steward steward = builder(stores).ipPoolAssignment(IpPoolStrategy.tiered(), admin).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.POOL_ASSIGNMENT);
    into(m, GLOBEX, OnboardingState.PILOT);

    drain(steward);
    assertThat(stores.poolAssignments().assignments(GLOBEX))
        .extracting(PoolAssignment::pool)
        .containsOnly(TierConfig.DEFAULT_WARMUP_POOL);
    assertThat(stores.poolAssignments().assignments(ACME)).isEmpty();
    assertThat(m.find(ACME).orElseThrow().state())
        .as("its pool has no IP to send from: it waits")
        .isEqualTo(OnboardingState.POOL_ASSIGNMENT);

    admin.registerReadyIp("192.0.2.11", "mta2.isv.example");
    admin.addIp(TierConfig.DEFAULT_STANDARD_POOL, IpAddress.of("192.0.2.11"));
    clock.advance(Duration.ofMinutes(30));
    drain(steward);
    assertThat(m.find(ACME).orElseThrow().state())
        .as("not before the hour")
        .isEqualTo(OnboardingState.POOL_ASSIGNMENT);
    clock.advance(Duration.ofMinutes(30));
    drain(steward);

    OnboardingRecord acme = m.find(ACME).orElseThrow();
    assertThat(acme.state()).isEqualTo(OnboardingState.ACTIVE);
    Transition last = acme.transitions().get(acme.transitions().size() - 1);
    assertThat(last.by()).isEqualTo(PoolAssignmentJob.RULE);
    assertThat(last.reason())
        .isEqualTo(
            "pool assignment applied: TRANSACTIONAL -> shared-standard (STANDARD), MARKETING ->"
                + " shared-standard (STANDARD); monitoring");
    assertThat(stores.poolAssignments().changes(ACME, 10)).hasSize(2);
    assertThat(m.find(GLOBEX).orElseThrow().state()).isEqualTo(OnboardingState.PILOT);

    // later runs change nothing
    for (int h = 0; h < 5; h++) {
      clock.advance(Duration.ofHours(1));
      drain(steward);
    }
    assertThat(stores.poolAssignments().changes(ACME, 10)).hasSize(2);
    assertThat(m.find(ACME).orElseThrow().transitions()).hasSize(acme.transitions().size());
    assertThat(
            stores
                .work()
                .find(WorkKey.of(Recurring.SYSTEM_TENANT, PoolAssignmentJob.KIND, Recurring.ID)))
        .isPresent()
        .get()
        .satisfies(i -> assertThat(i.dueAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1))));
  }

  // ---- 4. outreach ----------------------------------------------------------------------------

  @Test
  void aTenantOnTheWarnRungIsFlaggedOncePerEpisodeWithTheMetricsAndClearedWhenClean() {
    Stores stores = stores(clock);
    List<OutreachFlag> flags = new CopyOnWriteArrayList<>();
    List<OutreachFlag.Cleared> cleared = new CopyOnWriteArrayList<>();
    Steward steward =
        builder(stores)
            .outreach(
                o ->
                    o.listener(
                        new dev.steward.onboarding.OutreachListener() {
                          @Override
                          public void onFlagged(OutreachFlag flag) {
                            flags.add(flag);
                          }

                          @Override
                          public void onCleared(OutreachFlag.Cleared c) {
                            cleared.add(c);
                          }
                        }))
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    into(m, GLOBEX, OnboardingState.ACTIVE);

    // 1 spam report in 1000 delivered: 0.10%, Gmail's line, the warn rung
    steward.accept(StewardGovernanceContract.mail(ACME, 1000, 1, clock.instant()));
    steward.accept(StewardGovernanceContract.mail(GLOBEX, 1000, 0, clock.instant()));
    drain(steward);

    assertThat(steward.governance().standing(ACME).level()).isEqualTo(Level.WARN);
    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.tenant()).isEqualTo(ACME);
              assertThat(f.reasons()).containsExactly(OutreachFlag.Reason.WARN_RUNG);
              assertThat(f.level()).isEqualTo(Level.WARN);
              assertThat(f.breaches())
                  .anySatisfy(b -> assertThat(b.metric()).isEqualTo(GovernanceMetric.SPAM_RATE));
              assertThat(f.explanation()).contains("spam-rate 0.10% (1 of 1000 delivered)");
            });
    OnboardingRecord acme = m.find(ACME).orElseThrow();
    assertThat(acme.state()).isEqualTo(OnboardingState.OUTREACH);
    assertThat(acme.transitions().get(acme.transitions().size() - 1).reason())
        .isEqualTo(flags.get(0).explanation());
    assertThat(m.find(GLOBEX).orElseThrow().state()).isEqualTo(OnboardingState.ACTIVE);

    // hourly re-evaluations while the warning stands (renewed while the report is in the 7-day
    // window, then 7 days to expire) tell nobody again; once it steps down the episode ends
    for (int h = 0; h < 24 * 21 && cleared.isEmpty(); h++) {
      clock.advance(Duration.ofHours(1));
      drain(steward);
    }
    assertThat(flags).hasSize(1);
    assertThat(steward.governance().standing(ACME).level()).isEqualTo(Level.NONE);
    assertThat(cleared).singleElement().satisfies(c -> assertThat(c.tenant()).isEqualTo(ACME));
    assertThat(m.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.ACTIVE);

    // a second episode is a second flag
    steward.governance().warn(ACME, "a reviewer rejected a sampled message");
    drain(steward); // notices are told as due work
    assertThat(flags).hasSize(2);
    assertThat(flags.get(1).noticeId()).isNotEqualTo(flags.get(0).noticeId());
    assertThat(flags.get(1).explanation()).contains("a reviewer rejected a sampled message");
    assertThat(m.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.OUTREACH);
  }
}
