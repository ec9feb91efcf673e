package dev.steward.onboarding;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A Steward with the tenant gate on, all in memory, over virtual days: tenants moved through the
 * onboarding gates, messages dispatched, and their delivered events ingested as the provider would
 * send them.
 */
final class PilotWorld {
  /** Monday 1 June 2026, 09:00 UTC. */
  static final Instant DAY_0 = Instant.parse("2026-06-01T09:00:00Z");

  static final Actor RULE = Actor.rule("test-checks");

  final SettableClock clock = SettableClock.of(DAY_0);
  final InMemoryOnboardingStore onboardingStore = InMemoryOnboardingStore.of();
  final InMemoryPilotStore pilotStore = InMemoryPilotStore.of();
  final RecordingTransport transport = RecordingTransport.of();
  final Set<String> authenticated = ConcurrentHashMap.newKeySet();
  final Map<TenantId, String> fromDomain = new ConcurrentHashMap<>();
  final Steward steward;
  final OnboardingStateMachine machine;
  final TenantGate gate;
  private int seq;

  final SenderIdentities senders =
      new SenderIdentities() {
        @Override
        public Optional<EmailAddress> from(Message m) {
          return Optional.of(EmailAddress.of("news@" + domainOf(m.tenant())));
        }

        @Override
        public boolean domainAuthenticated(TenantId t, String domain) {
          return authenticated.contains(t.value() + "|" + domain);
        }
      };

  PilotWorld(Consumer<TenantGate.Builder> settings) {
    this(settings, b -> b);
  }

  PilotWorld(Consumer<TenantGate.Builder> settings, UnaryOperator<Steward.Builder> more) {
    this.steward =
        more.apply(
                Steward.builder(clock)
                    .transport(transport)
                    .onboarding(onboardingStore)
                    .tenantGate(pilotStore, senders, settings))
            .build();
    this.machine = steward.onboarding().orElseThrow();
    this.gate = steward.tenantGate().orElseThrow();
  }

  String domainOf(TenantId t) {
    return fromDomain.getOrDefault(t, "mail." + t.value() + ".example");
  }

  void authenticate(TenantId t) {
    authenticated.add(t.value() + "|" + domainOf(t));
  }

  /** Clears the three onboarding gates by rule and authenticates the tenant's From domain. */
  void intoPilot(TenantId t) {
    machine.enrol(t, RULE);
    pass(t, OnboardingPhase.VETTING);
    machine.transition(t, OnboardingState.DOMAIN_VERIFICATION, RULE, "vetted");
    pass(t, OnboardingPhase.SENDER_DOMAIN_VERIFICATION);
    machine.transition(t, OnboardingState.CONTENT_REVIEW, RULE, "domain verified");
    pass(t, OnboardingPhase.CONTENT_REVIEW);
    machine.transition(t, OnboardingState.PILOT, RULE, "content passed");
    authenticate(t);
  }

  private void pass(TenantId t, OnboardingPhase phase) {
    machine.recordVerdict(
        t, new PhaseVerdict(phase, Verdict.PASS, RULE, clock.instant(), "passed", List.of()));
  }

  /** Sets the clock to {@code time} (UTC) on day {@code n} after DAY_0's date. */
  void at(int day, String time) {
    clock.set(
        DAY_0
            .atZone(ZoneOffset.UTC)
            .toLocalDate()
            .plusDays(day)
            .atTime(LocalTime.parse(time))
            .toInstant(ZoneOffset.UTC));
  }

  Message message(TenantId t) {
    int n = ++seq;
    return Messages.promo("c" + n)
        .tenant(t)
        .id(MessageId.of("m-" + n))
        .idempotencyKey("k-" + n)
        .createdAt(clock.instant())
        .build();
  }

  DispatchResult send(TenantId t) {
    return steward.dispatch(message(t));
  }

  /** Dispatches {@code n} messages now; the results in order. */
  List<DispatchResult> send(TenantId t, int n) {
    List<DispatchResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(send(t));
    }
    return out;
  }

  /** The provider's delivered events for the sent messages, a minute from now, ingested. */
  void deliver(List<DispatchResult> results) {
    Instant at = clock.instant().plus(Duration.ofMinutes(1));
    List<EmailEvent> batch = new ArrayList<>();
    for (DispatchResult r : results) {
      if (r.status() == DispatchStatus.SENT) {
        Message m = r.message();
        batch.add(
            EmailEvent.of(
                "delivered-" + m.id().value(),
                EmailEventType.DELIVERED,
                at,
                m.to(),
                m.id(),
                m.tenant(),
                m.account(),
                m.contact(),
                m.category(),
                Map.of()));
      }
    }
    if (!batch.isEmpty()) {
      steward.accept(batch);
    }
    while (steward.runDue() > 0) {
      // events, then the governance evaluations they ask for
    }
  }

  /** Sends the stage's full cap late in day {@code day} and delivers all of it. */
  List<DispatchResult> fullDay(TenantId t, int day) {
    return day(t, day, 1.0);
  }

  /**
   * Sends {@code share} of the stage's cap late in day {@code day} (the day's first message judges
   * the day before, so the cap is read after it) and delivers all of it.
   */
  List<DispatchResult> day(TenantId t, int day, double share) {
    at(day, "23:30");
    List<DispatchResult> r = new ArrayList<>();
    r.add(send(t));
    long cap = gate.plan().cap(stage(t));
    r.addAll(send(t, (int) Math.round(cap * share) - 1));
    deliver(r);
    return r;
  }

  int stage(TenantId t) {
    return gate.pilotState(t).orElseThrow().stage();
  }

  OnboardingState state(TenantId t) {
    return machine.find(t).orElseThrow().state();
  }

  static long count(List<DispatchResult> results, DispatchStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
  }
}
