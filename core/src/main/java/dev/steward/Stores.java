package dev.steward;

import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.SuppressionStore;
import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.EventInbox;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.InMemoryEventInbox;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.StandingStore;
import dev.steward.health.EngagementStore;
import dev.steward.health.HealthBandStateStore;
import dev.steward.health.HealthHistoryStore;
import dev.steward.health.InMemoryEngagementStore;
import dev.steward.health.InMemoryHealthBandStateStore;
import dev.steward.health.InMemoryHealthHistoryStore;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.journey.InMemoryJourneyAnalyticsStore;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InMemoryTaskStore;
import dev.steward.journey.InMemoryTriggerStore;
import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.TaskStore;
import dev.steward.journey.TriggerStore;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.InMemoryPilotStore;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.PilotStore;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkStore;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every store Steward keeps its data in, as one set: all in memory ({@link #inMemory}), all in one
 * database ({@code JdbcStores.of(dataSource)}), or a mix built with the {@code with...} copies.
 *
 * @param inbox the inbox of provider events; it schedules their processing in {@link #work}, so the
 *     two must share one database (or both be in memory)
 * @param governanceMetrics governance's reputation counts per tenant and pool
 * @param standings governance's standing of each tenant on the escalation ladder
 * @param onboarding each tenant's onboarding record (phase, audit trail, verdicts)
 * @param pilot each tenant's pilot warm-up (stage and daily counts), read by the tenant gate
 * @param poolAssignments the IP pool each tenant's streams send from, and the moves' audit
 * @param journeys the journey scheduler's contacts, enrolments and histories
 * @param tasks the journeys' human tasks
 * @param journeyAnalytics the journeys' counts per step and their alert episodes
 * @param triggers the journeys' entry triggers: segment memberships and contact events
 */
public record Stores(
    ConsentStore consent,
    SuppressionStore suppressions,
    CapLedgerStore capLedger,
    CalendarStore calendar,
    DeliveryLedger ledger,
    WorkStore work,
    EventInbox inbox,
    HealthHistoryStore healthHistory,
    HealthBandStateStore healthBands,
    EngagementStore engagement,
    // governance
    GovernanceMetricsStore governanceMetrics,
    StandingStore standings,
    // onboarding and pools
    OnboardingStore onboarding,
    PilotStore pilot,
    PoolAssignmentStore poolAssignments,
    // journeys
    JourneyStore journeys,
    TaskStore tasks,
    JourneyAnalyticsStore journeyAnalytics,
    TriggerStore triggers) {

  public Stores {
    Objects.requireNonNull(consent, "consent");
    Objects.requireNonNull(suppressions, "suppressions");
    Objects.requireNonNull(capLedger, "capLedger");
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(healthHistory, "healthHistory");
    Objects.requireNonNull(healthBands, "healthBands");
    Objects.requireNonNull(engagement, "engagement");
    Objects.requireNonNull(governanceMetrics, "governanceMetrics");
    Objects.requireNonNull(standings, "standings");
    Objects.requireNonNull(onboarding, "onboarding");
    Objects.requireNonNull(pilot, "pilot");
    Objects.requireNonNull(poolAssignments, "poolAssignments");
    Objects.requireNonNull(journeys, "journeys");
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(journeyAnalytics, "journeyAnalytics");
    Objects.requireNonNull(triggers, "triggers");
    if (inbox.work() != work) {
      throw new IllegalArgumentException(
          "the event inbox schedules its work in another work store than the one given: accepted"
              + " events would never be processed by this Steward's runner");
    }
  }

  /** Stores in this process's memory: for tests, examples and one-instance tools. */
  public static Stores inMemory(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    return new Stores(
        InMemoryConsentStore.of(),
        InMemorySuppressionStore.of(),
        InMemoryCapLedgerStore.of(),
        InMemoryCalendarStore.of(),
        InMemoryDeliveryLedger.of(),
        work,
        InMemoryEventInbox.of(work),
        InMemoryHealthHistoryStore.of(),
        InMemoryHealthBandStateStore.of(),
        InMemoryEngagementStore.of(),
        InMemoryGovernanceMetricsStore.of(),
        InMemoryStandingStore.of(),
        InMemoryOnboardingStore.of(),
        InMemoryPilotStore.of(),
        InMemoryPoolAssignmentStore.of(),
        InMemoryJourneyStore.of(),
        InMemoryTaskStore.of(),
        InMemoryJourneyAnalyticsStore.of(),
        InMemoryTriggerStore.of());
  }

  /** A copy with another consent store. */
  public Stores withConsent(ConsentStore consent) {
    return copy(c -> c.consent = consent);
  }

  /** A copy with another suppression store. */
  public Stores withSuppressions(SuppressionStore suppressions) {
    return copy(c -> c.suppressions = suppressions);
  }

  /** A copy with another cap ledger store. */
  public Stores withCapLedger(CapLedgerStore capLedger) {
    return copy(c -> c.capLedger = capLedger);
  }

  /** A copy with another delivery ledger. */
  public Stores withLedger(DeliveryLedger ledger) {
    return copy(c -> c.ledger = ledger);
  }

  /** A copy with other governance stores (metrics and standings). */
  public Stores withGovernance(GovernanceMetricsStore governanceMetrics, StandingStore standings) {
    return copy(
        c -> {
          c.governanceMetrics = governanceMetrics;
          c.standings = standings;
        });
  }

  /** A copy with other onboarding stores (the records and the pilot's warm-up). */
  public Stores withOnboarding(OnboardingStore onboarding, PilotStore pilot) {
    return copy(
        c -> {
          c.onboarding = onboarding;
          c.pilot = pilot;
        });
  }

  /** A copy with another IP-pool assignment store. */
  public Stores withPoolAssignments(PoolAssignmentStore poolAssignments) {
    return copy(c -> c.poolAssignments = poolAssignments);
  }

  /** A copy with other journey stores (enrolments, human tasks, analytics). */
  public Stores withJourneys(
      JourneyStore journeys, TaskStore tasks, JourneyAnalyticsStore journeyAnalytics) {
    return copy(
        c -> {
          c.journeys = journeys;
          c.tasks = tasks;
          c.journeyAnalytics = journeyAnalytics;
        });
  }

  /** A copy with another store of the journeys' entry triggers. */
  public Stores withTriggers(TriggerStore triggers) {
    return copy(c -> c.triggers = triggers);
  }

  /** This record with the parts {@code change} replaces, checked as a new one is. */
  private Stores copy(Consumer<Parts> change) {
    Parts c = new Parts(this);
    change.accept(c);
    return new Stores(
        c.consent,
        c.suppressions,
        c.capLedger,
        calendar,
        c.ledger,
        work,
        inbox,
        healthHistory,
        healthBands,
        engagement,
        c.governanceMetrics,
        c.standings,
        c.onboarding,
        c.pilot,
        c.poolAssignments,
        c.journeys,
        c.tasks,
        c.journeyAnalytics,
        c.triggers);
  }

  /** The parts a {@code withX} copy may replace, so each copy names only what it changes. */
  private static final class Parts {
    ConsentStore consent;
    SuppressionStore suppressions;
    CapLedgerStore capLedger;
    DeliveryLedger ledger;
    GovernanceMetricsStore governanceMetrics;
    StandingStore standings;
    OnboardingStore onboarding;
    PilotStore pilot;
    PoolAssignmentStore poolAssignments;
    JourneyStore journeys;
    TaskStore tasks;
    JourneyAnalyticsStore journeyAnalytics;
    TriggerStore triggers;

    Parts(Stores s) {
      consent = s.consent;
      suppressions = s.suppressions;
      capLedger = s.capLedger;
      ledger = s.ledger;
      governanceMetrics = s.governanceMetrics;
      standings = s.standings;
      onboarding = s.onboarding;
      pilot = s.pilot;
      poolAssignments = s.poolAssignments;
      journeys = s.journeys;
      tasks = s.tasks;
      journeyAnalytics = s.journeyAnalytics;
      triggers = s.triggers;
    }
  }
}
