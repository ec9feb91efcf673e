package dev.steward.journey;

import dev.steward.delivery.Gate;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.CapPolicyResolver;
import dev.steward.schedule.InMemoryWorkStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs journeys for many contacts against a virtual clock before they go live: the real {@link
 * JourneyScheduler} and the real {@code Dispatcher} with the same {@link CapPolicy} (caps, quiet
 * hours, send windows, cool-downs) and any further gates as production, over in-memory stores and a
 * transport that sends nothing. Competing journeys of several teams share each contact's capped
 * budget as they would live. It answers with each contact's timeline (what would be sent when, what
 * was deferred, skipped or exited and why) and the funnel per journey and step.
 *
 * <p>Time jumps from one due instant to the next (a step, a deferred message, an entry, an open, a
 * scripted action) instead of ticking, so 100,000 contacts over 90 days take seconds of work, not
 * 90 days of minutes. Runs are reproducible: enrolment ids derive from the contacts and their
 * entries, and opens and clicks are drawn from a random of the given {@link Builder#seed}, so two
 * runs of one simulation give the same result. Memory stays bounded by keeping timelines for a
 * sample of contacts, each up to a limit; a {@link SimulationListener} receives every entry.
 *
 * <pre>{@code
 * SimulationResult r =
 *     JourneySimulation.builder()
 *         .journey(JourneyDefinition.readyMade("onboarding"))
 *         .capPolicy(
 *             CapPolicy.builder().cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7)))).build())
 *         .contacts(contacts)          // SimulatedContact.of(profile).enters("onboarding", ZERO)
 *         .start(Instant.parse("2026-03-02T13:00:00Z"))
 *         .duration(Duration.ofDays(90))
 *         .seed(42)
 *         .build()
 *         .run();
 * r.timeline(tenant, contact);         // sent / deferred (rule) / skipped / exited ... at instants
 * r.funnel(tenant, "onboarding", 1);   // per step: entered, sent, deferred by rule, opened, ...
 * }</pre>
 *
 * <p>Consent is production's: the {@code ConsentGate} decides first, over in-memory consent and
 * suppression stores that start as each {@link SimulatedContact#consent()} says; unsubscribes, spam
 * reports and hard bounces (scripted, or drawn per send at the {@link SimulatedEngagement}'s rates
 * from the seeded random) are provider events given to the same consent and suppression listeners
 * the event ingestor feeds, so later sends are suppressed with the gate's reason. What a simulation
 * does not model: the provider's deliveries (every sent message not bounced counts as delivered)
 * and the owners of human tasks (a task is created and, nobody acting, runs overdue). Each run is
 * one thread's work; the simulation itself is immutable and may be run again.
 */
public final class JourneySimulation {

  /** The longest simulated period. */
  public static final Duration MAX_DURATION = Duration.ofDays(3 * 366);

  /** Every how many contacts a timeline is kept unless set: 1, every contact's. */
  public static final int DEFAULT_KEEP_TIMELINES = 1;

  /** The most entries kept per timeline unless set. */
  public static final int DEFAULT_MAX_TIMELINE_ENTRIES = 500;

  /** The seed of the random opens and clicks are drawn from unless set. */
  public static final long DEFAULT_SEED = 1;

  final List<JourneyDefinition> journeys;
  final Optional<CapPolicyResolver> policies;
  final List<Gate> gates;
  final List<SimulatedContact> contacts;
  final List<SimulatedCampaign> campaigns;
  final Instant start;
  final Duration duration;
  final long seed;
  final Optional<ZoneId> defaultZone;
  final int maxActiveJourneys;
  final Duration burstWindow;
  final int keepTimelines;
  final int maxTimelineEntries;
  final SimulationListener listener;
  final Map<String, SimulatedTaskOwner> taskOwners;

  private JourneySimulation(Builder b) {
    this.journeys = List.copyOf(b.journeys);
    this.policies = Optional.ofNullable(b.policies);
    this.gates = List.copyOf(b.gates);
    this.contacts = List.copyOf(b.contacts);
    this.campaigns = List.copyOf(b.campaigns);
    this.start = b.start;
    this.duration = b.duration;
    this.seed = b.seed;
    this.defaultZone = Optional.ofNullable(b.defaultZone);
    this.maxActiveJourneys = b.maxActiveJourneys;
    this.burstWindow = b.burstWindow;
    this.keepTimelines = b.keepTimelines;
    this.maxTimelineEntries = b.maxTimelineEntries;
    this.listener = b.listener;
    this.taskOwners = Map.copyOf(b.taskOwners);
  }

  /** A builder; journeys, contacts, the start and the duration must be given. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the simulation from its start for its duration over fresh in-memory stores, on the calling
   * thread; the same simulation run again gives the same result.
   */
  public SimulationResult run() {
    return new SimulationRun(this).run();
  }

  /** The simulated contacts, in the order given. */
  public List<SimulatedContact> contacts() {
    return contacts;
  }

  /** The virtual start. */
  public Instant start() {
    return start;
  }

  /** The virtual period simulated. */
  public Duration duration() {
    return duration;
  }

  /** Builds a {@link JourneySimulation}; {@link #build()} checks everything before any run. */
  public static final class Builder {
    private final List<JourneyDefinition> journeys = new ArrayList<>();
    private CapPolicyResolver policies;
    private boolean policySet;
    private final List<Gate> gates = new ArrayList<>();
    private final List<SimulatedContact> contacts = new ArrayList<>();
    private final List<SimulatedCampaign> campaigns = new ArrayList<>();
    private Instant start;
    private Duration duration;
    private long seed = DEFAULT_SEED;
    private ZoneId defaultZone;
    private int maxActiveJourneys = JourneyScheduler.DEFAULT_MAX_ACTIVE_JOURNEYS;
    private Duration burstWindow = JourneyScheduler.DEFAULT_BURST_WINDOW;
    private int keepTimelines = DEFAULT_KEEP_TIMELINES;
    private int maxTimelineEntries = DEFAULT_MAX_TIMELINE_ENTRIES;
    private SimulationListener listener = SimulationListener.NONE;
    private final Map<String, SimulatedTaskOwner> taskOwners = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds the owner of human tasks named {@link SimulatedTaskOwner#owner()}: with at least one
     * owner, tasks are kept in an in-memory task store as production keeps them (reminder,
     * escalation to the second owner, overdue), and each owner completes its tasks as its weights
     * draw; without one, a task runs overdue at its due time.
     */
    public Builder taskOwner(SimulatedTaskOwner owner) {
      InvalidJourneyException.requireNonNull(owner, "simulation: task owner");
      if (taskOwners.putIfAbsent(owner.owner(), owner) != null) {
        throw new InvalidJourneyException(
            "simulation: task owner '" + owner.owner() + "' is given twice");
      }
      return this;
    }

    /** Registers a journey version, as {@link JourneyScheduler.Builder#journey} does. */
    public Builder journey(JourneyDefinition definition) {
      journeys.add(InvalidJourneyException.requireNonNull(definition, "simulation: journey"));
      return this;
    }

    /**
     * Decides every tenant's messages by {@code policy} (caps, quiet hours, send windows,
     * cool-downs) through the frequency limiter, as production does; without a policy nothing is
     * capped.
     */
    public Builder capPolicy(CapPolicy policy) {
      InvalidJourneyException.requireNonNull(policy, "simulation: cap policy");
      return capPolicies(CapPolicyResolver.of(policy));
    }

    /** Decides each tenant's messages by the policy {@code resolver} gives it. */
    public Builder capPolicies(CapPolicyResolver resolver) {
      InvalidJourneyException.requireNonNull(resolver, "simulation: cap policies");
      if (policySet) {
        throw new InvalidJourneyException(
            "simulation: the cap policy is set already; give one policy or one resolver");
      }
      this.policies = resolver;
      this.policySet = true;
      return this;
    }

    /**
     * Adds a gate after the frequency gate (a calendar rule, a tenant's limits), as the dispatcher
     * builder does; it decides with the virtual clock's time.
     */
    public Builder gate(Gate gate) {
      gates.add(InvalidJourneyException.requireNonNull(gate, "simulation: gate"));
      return this;
    }

    /** Adds a contact. */
    public Builder contact(SimulatedContact contact) {
      contacts.add(InvalidJourneyException.requireNonNull(contact, "simulation: contact"));
      return this;
    }

    /** Adds contacts, in order. */
    public Builder contacts(Collection<SimulatedContact> contacts) {
      InvalidJourneyException.requireNonNull(contacts, "simulation: contacts");
      contacts.forEach(this::contact);
      return this;
    }

    /**
     * Adds a team's own campaign, sent to the contacts at its offset through the same caps: a
     * competitor of the journeys for each contact's budget.
     */
    public Builder campaign(SimulatedCampaign campaign) {
      campaigns.add(InvalidJourneyException.requireNonNull(campaign, "simulation: campaign"));
      return this;
    }

    /** The virtual instant the simulation starts at. */
    public Builder start(Instant start) {
      this.start = InvalidJourneyException.requireNonNull(start, "simulation: start");
      return this;
    }

    /** How much virtual time to simulate: more than zero, at most {@link #MAX_DURATION}. */
    public Builder duration(Duration duration) {
      InvalidJourneyException.requireNonNull(duration, "simulation: duration");
      if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
        throw new InvalidJourneyException(
            "simulation: duration must be more than zero and at most "
                + MAX_DURATION
                + ", was "
                + duration);
      }
      this.duration = duration;
      return this;
    }

    /** The seed of the random opens and clicks are drawn from; default {@value #DEFAULT_SEED}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The zone of contacts whose profile has none, as {@link JourneyScheduler.Builder}. */
    public Builder defaultZone(ZoneId zone) {
      this.defaultZone = InvalidJourneyException.requireNonNull(zone, "simulation: default zone");
      return this;
    }

    /** How many journeys a contact may be in at once, as {@link JourneyScheduler.Builder}. */
    public Builder maxActiveJourneys(int max) {
      if (max < 1) {
        throw new InvalidJourneyException(
            "simulation: max active journeys must be at least 1, was " + max);
      }
      this.maxActiveJourneys = max;
      return this;
    }

    /**
     * The burst window, as {@link JourneyScheduler.Builder#burstWindow}; {@link Duration#ZERO} for
     * exact local times.
     */
    public Builder burstWindow(Duration window) {
      InvalidJourneyException.requireNonNull(window, "simulation: burst window");
      if (window.isNegative() || window.compareTo(JourneyScheduler.MAX_BURST_WINDOW) > 0) {
        throw new InvalidJourneyException(
            "simulation: burst window must be from 0 to "
                + JourneyScheduler.MAX_BURST_WINDOW
                + ", was "
                + window);
      }
      this.burstWindow = window;
      return this;
    }

    /**
     * Keeps the timeline of every {@code every}-th contact in the order given (1: every contact's,
     * 1000: a sample of one in a thousand, 0: none; the listener still hears every entry); default
     * {@value #DEFAULT_KEEP_TIMELINES}.
     */
    public Builder keepTimelines(int every) {
      if (every < 0) {
        throw new InvalidJourneyException(
            "simulation: keep timelines of every n-th contact must be 0 (none) or more, was "
                + every);
      }
      this.keepTimelines = every;
      return this;
    }

    /**
     * The most entries a kept timeline holds; later ones go only to the listener; default {@value
     * #DEFAULT_MAX_TIMELINE_ENTRIES}.
     */
    public Builder maxTimelineEntries(int max) {
      if (max < 1) {
        throw new InvalidJourneyException(
            "simulation: max timeline entries must be at least 1, was " + max);
      }
      this.maxTimelineEntries = max;
      return this;
    }

    /** Hears every timeline entry of every contact as it happens. */
    public Builder listener(SimulationListener listener) {
      this.listener = InvalidJourneyException.requireNonNull(listener, "simulation: listener");
      return this;
    }

    /**
     * The simulation.
     *
     * @throws InvalidJourneyException naming what is missing or wrong: no journey, no contact, no
     *     start or duration, a contact given twice, an entry into a journey not registered here, an
     *     entry or action after the end, or journeys the scheduler refuses
     */
    public JourneySimulation build() {
      if (journeys.isEmpty()) {
        throw new InvalidJourneyException(
            "simulation: no journey to simulate; register one with journey(...)");
      }
      if (contacts.isEmpty()) {
        throw new InvalidJourneyException(
            "simulation: no contacts; add them with contact(...) or contacts(...)");
      }
      if (start == null) {
        throw new InvalidJourneyException("simulation: the start must be set with start(...)");
      }
      if (duration == null) {
        throw new InvalidJourneyException(
            "simulation: the duration must be set with duration(...)");
      }
      try {
        Enrolment.storable(start.plus(duration), "simulation: the end");
      } catch (InvalidJourneyException bad) {
        throw new InvalidJourneyException(
            "simulation: the end "
                + start
                + " + "
                + duration
                + " is outside the instants stores keep: "
                + bad.getMessage());
      }
      // the scheduler's own checks (versions registered twice, enrol steps into journeys not
      // registered), before any contact is looked at
      JourneyScheduler.Builder check =
          JourneyScheduler.builder(
                  new VirtualClock(start),
                  InMemoryJourneyStore.latestHistoryOnly(),
                  InMemoryWorkStore.of(new VirtualClock(start)))
              .sender(m -> null);
      journeys.forEach(check::journey);
      check.build();
      Set<String> ids = new HashSet<>();
      journeys.forEach(j -> ids.add(j.id()));
      Set<SimulationResult.ContactKey> seen = new HashSet<>();
      for (SimulatedContact c : contacts) {
        ContactProfile p = c.profile();
        String who = "simulation: contact " + p.contact() + " of tenant " + p.tenant();
        if (!seen.add(new SimulationResult.ContactKey(p.tenant(), p.contact()))) {
          throw new InvalidJourneyException(who + " is given twice");
        }
        for (SimulatedContact.Entry e : c.entries()) {
          if (!ids.contains(e.journey())) {
            throw new InvalidJourneyException(
                who
                    + " enters journey '"
                    + e.journey()
                    + "', which the simulation does not register; registered are "
                    + new java.util.TreeSet<>(ids));
          }
          if (e.after().compareTo(duration) >= 0) {
            throw new InvalidJourneyException(
                who
                    + " enters journey '"
                    + e.journey()
                    + "' after "
                    + e.after()
                    + ", not before the end of the simulation ("
                    + duration
                    + ")");
          }
        }
        for (SimulatedEngagement.Action a : c.engagement().actions()) {
          if (a.after().compareTo(duration) >= 0) {
            throw new InvalidJourneyException(
                who + " acts after " + a.after() + ", not before the end (" + duration + "): " + a);
          }
        }
      }
      Set<String> campaignIds = new HashSet<>();
      for (SimulatedCampaign c : campaigns) {
        if (!campaignIds.add(c.id())) {
          throw new InvalidJourneyException("simulation: campaign '" + c.id() + "' is given twice");
        }
        if (c.after().compareTo(duration) >= 0) {
          throw new InvalidJourneyException(
              "simulation: campaign '"
                  + c.id()
                  + "' is sent after "
                  + c.after()
                  + ", not before the end of the simulation ("
                  + duration
                  + ")");
        }
      }
      return new JourneySimulation(this);
    }
  }
}
