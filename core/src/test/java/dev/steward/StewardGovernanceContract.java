package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.steward.governance.Cause;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.GovernanceRetention;
import dev.steward.governance.Granularity;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChanged;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Governance through the front door: provider events accepted by {@link Steward#accept} and applied
 * by {@link Steward#runDue} move a tenant's standing; erasure reaches the governance stores. Run on
 * every kind of {@link Stores}.
 */
abstract class StewardGovernanceContract {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
  final List<StandingChanged> changes = new CopyOnWriteArrayList<>();

  /** Fresh, empty stores. */
  abstract Stores stores(Clock clock);

  Steward steward(Stores stores, Ladder ladder) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .ladder(ladder)
        .standingListener(changes::add)
        .build();
  }

  /**
   * {@code delivered} recipients r0..r(n-1) of the tenant each processed and delivered a minute
   * ago, and spam reports from the first {@code spam} of them.
   */
  static List<EmailEvent> mail(TenantId tenant, int delivered, int spam, Instant now) {
    Instant at = now.minus(Duration.ofMinutes(1));
    List<EmailEvent> out = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      String to = address(tenant, i).value();
      out.add(event(tenant, "p-" + tenant + "-" + i, EmailEventType.PROCESSED, at, to));
      out.add(event(tenant, "d-" + tenant + "-" + i, EmailEventType.DELIVERED, at, to));
    }
    for (int i = 0; i < spam; i++) {
      String to = address(tenant, i).value();
      out.add(event(tenant, "s-" + tenant + "-" + i, EmailEventType.SPAM_REPORT, at, to));
    }
    return out;
  }

  static EmailAddress address(TenantId tenant, int i) {
    return EmailAddress.of("r" + i + "@" + tenant + ".example");
  }

  private static EmailEvent event(
      TenantId tenant, String id, EmailEventType type, Instant at, String to) {
    return EmailEvent.builder(id, type, at).tenant(tenant).email(to).build();
  }

  static void drain(Steward steward) {
    for (int i = 0; i < 100; i++) {
      if (steward.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

  private static MetricCounts today(Stores stores, TenantId tenant, Instant now) {
    Instant day = Granularity.DAY.start(now);
    return stores
        .governanceMetrics()
        .counts(MetricsKey.of(tenant), Granularity.DAY, day, day.plus(Duration.ofDays(1)));
  }

  @Test
  void aSpamRateAboveTheSuspendThresholdSuspendsTheTenantOnceTheRunnerAppliesTheEvents() {
    Stores stores = stores(clock);
    Steward steward = steward(stores, Ladder.ofDefaults());
    List<EmailEvent> events = new ArrayList<>(mail(ACME, 1000, 4, clock.instant()));
    events.addAll(mail(GLOBEX, 1000, 0, clock.instant()));

    steward.accept(events);
    assertThat(steward.governance().standing(ACME).level())
        .as("accepting stores the events; only the runner applies them")
        .isEqualTo(Level.NONE);
    drain(steward);

    Standing acme = steward.governance().standing(ACME);
    assertThat(acme.level()).isEqualTo(Level.SUSPEND);
    assertThat(acme.maySend()).isFalse();
    assertThat(acme.history().get(acme.history().size() - 1).explanation())
        .contains(
            "spam-rate 0.40% (4 of 1000 delivered) over 24h reached the suspend threshold 0.30%");
    assertThat(steward.governance().standing(GLOBEX).level()).isEqualTo(Level.NONE);
    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.tenant()).isEqualTo(ACME);
              assertThat(c.from()).isEqualTo(Level.NONE);
              assertThat(c.to()).isEqualTo(Level.SUSPEND);
              assertThat(c.cause()).isEqualTo(Cause.ESCALATED);
            });
    // visible through the metrics, tagged by closed sets only
    assertThat(
            steward
                .metrics()
                .count(
                    StewardMetrics.STANDING_CHANGES,
                    Map.of("from", "NONE", "to", "SUSPEND", "cause", "ESCALATED")))
        .isEqualTo(1);
    assertThat(
            steward
                .metrics()
                .count(
                    StewardMetrics.GOVERNANCE_DECISIONS,
                    Map.of("cause", "UNCHANGED", "level", "NONE")))
        .isEqualTo(1);
    // the suspended tenant comes back for re-evaluation in an hour, so its action can expire
    WorkItem next =
        stores
            .work()
            .find(WorkKey.of(ACME, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID))
            .orElseThrow();
    assertThat(next.dueAt()).isEqualTo(clock.instant().plus(GovernanceEvaluator.DEFAULT_EVERY));
  }

  @Test
  void theLadderGivenToTheBuilderIsTheOneThatDecides() {
    Ladder warnOnly =
        Ladder.builder().threshold(Level.WARN, GovernanceMetric.SPAM_RATE, 0.001).build();
    Steward steward = steward(stores(clock), warnOnly);

    steward.accept(mail(ACME, 1000, 4, clock.instant()));
    drain(steward);

    assertThat(steward.governance().ladder()).isEqualTo(warnOnly);
    assertThat(steward.governance().standing(ACME).level()).isEqualTo(Level.WARN);
  }

  @Test
  void belowTheMinimumVolumeNothingIsDecided() {
    Steward steward = steward(stores(clock), Ladder.ofDefaults());

    steward.accept(mail(ACME, 100, 50, clock.instant()));
    drain(steward);

    assertThat(steward.governance().standing(ACME).level()).isEqualTo(Level.NONE);
    assertThat(changes).isEmpty();
    assertThat(
            steward
                .metrics()
                .count(
                    StewardMetrics.GOVERNANCE_DECISIONS,
                    Map.of("cause", Cause.INSUFFICIENT_DATA.name(), "level", "NONE")))
        .isEqualTo(1);
  }

  @Test
  void erasingTheTenantRemovesItsGovernanceDataAndLeavesTheOthers() {
    Stores stores = stores(clock);
    Steward steward = steward(stores, Ladder.ofDefaults());
    List<EmailEvent> events = new ArrayList<>(mail(ACME, 1000, 4, clock.instant()));
    events.addAll(mail(GLOBEX, 300, 0, clock.instant()));
    steward.accept(events);
    drain(steward);
    assertThat(stores.standings().find(ACME)).isPresent();
    assertThat(today(stores, ACME, clock.instant()).delivered()).isEqualTo(1000);
    assertThat(stores.governanceMetrics().activity(ACME, List.of(address(ACME, 0)))).isNotEmpty();

    steward.eraseTenant(ACME);

    assertThat(stores.standings().find(ACME)).isEmpty();
    assertThat(today(stores, ACME, clock.instant())).isEqualTo(MetricCounts.ZERO);
    assertThat(stores.governanceMetrics().activity(ACME, List.of(address(ACME, 0)))).isEmpty();
    assertThat(
            stores
                .work()
                .find(WorkKey.of(ACME, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID)))
        .isEmpty();
    assertThat(stores.standings().find(GLOBEX)).isPresent();
    assertThat(today(stores, GLOBEX, clock.instant()).delivered()).isEqualTo(300);
    assertThat(stores.governanceMetrics().activity(GLOBEX, List.of(address(GLOBEX, 0))))
        .isNotEmpty();
  }

  @Test
  void erasingAContactWithItsAddressForgetsThatRecipientOnly() {
    Stores stores = stores(clock);
    Steward steward = steward(stores, Ladder.ofDefaults());
    steward.accept(mail(ACME, 3, 0, clock.instant()));
    drain(steward);
    List<EmailAddress> both = List.of(address(ACME, 0), address(ACME, 1));
    assertThat(stores.governanceMetrics().activity(ACME, both)).hasSize(2);

    steward.eraseContact(ACME, ContactId.of("r0"), List.of(address(ACME, 0)));

    assertThat(stores.governanceMetrics().activity(ACME, both).keySet())
        .containsExactly(address(ACME, 1));
    // the tenant's counts are not a contact's data: they stay
    assertThat(today(stores, ACME, clock.instant()).delivered()).isEqualTo(3);
  }

  @Test
  void retentionIsRegisteredAndUnclassifiedEventsShowInTheMetrics() {
    Stores stores = stores(clock);
    Steward steward = steward(stores, Ladder.ofDefaults());
    assertThat(
            stores
                .work()
                .find(GovernanceRetention.of(stores.governanceMetrics(), clock).recurring().key()))
        .isPresent();

    steward.accept(
        List.of(
            EmailEvent.builder("b-1", EmailEventType.BOUNCE, clock.instant())
                .tenant(ACME)
                .email("r0@acme.example")
                .build()));
    drain(steward);

    assertThat(steward.metrics().gauge(StewardMetrics.GOVERNANCE_UNCLASSIFIED)).isEqualTo(1);
    assertThat(steward.metrics().gauge(StewardMetrics.GOVERNANCE_UNTENANTED)).isZero();
  }

  @Test
  void aMissingLadderOrAddressListIsRefusedByName() {
    assertThatThrownBy(() -> Steward.builder(clock).ladder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ladder");
    Steward steward = steward(stores(clock), Ladder.ofDefaults());
    assertThatThrownBy(() -> steward.eraseContact(ACME, ContactId.of("r0"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("addresses");
  }
}
