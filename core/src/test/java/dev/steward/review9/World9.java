package dev.steward.review9;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.InMemoryPilotStore;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.TenantGate;
import dev.steward.onboarding.Verdict;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** A Steward with the tenant gate on, in memory, over virtual days (review 9's own world). */
final class World9 {
  static final Instant DAY_0 = Instant.parse("2026-06-01T09:00:00Z");
  static final Actor RULE = Actor.rule("test-checks");

  final SettableClock clock = SettableClock.of(DAY_0);
  final InMemoryOnboardingStore memory = InMemoryOnboardingStore.of();

  /** When set, the onboarding store's replace throws (a store outage). */
  final AtomicBoolean onboardingDown = new AtomicBoolean();

  final OnboardingStore onboardingStore =
      new OnboardingStore() {
        @Override
        public Optional<OnboardingRecord> find(TenantId tenant) {
          return memory.find(tenant);
        }

        @Override
        public boolean insert(OnboardingRecord record) {
          return memory.insert(record);
        }

        @Override
        public boolean replace(long expectedVersion, OnboardingRecord next) {
          if (onboardingDown.get()) {
            throw new IllegalStateException("onboarding store down");
          }
          return memory.replace(expectedVersion, next);
        }

        @Override
        public List<TenantId> list(OnboardingState state, Optional<TenantId> after, int limit) {
          return memory.list(state, after, limit);
        }

        @Override
        public boolean eraseTenant(TenantId tenant) {
          return memory.eraseTenant(tenant);
        }
      };

  final PilotStore pilotStore;
  final RecordingTransport transport = RecordingTransport.of();
  final Steward steward;
  final OnboardingStateMachine machine;
  final TenantGate gate;
  private int seq;

  final SenderIdentities senders =
      new SenderIdentities() {
        @Override
        public Optional<EmailAddress> from(Message m) {
          return Optional.of(EmailAddress.of("news@mail." + m.tenant().value() + ".example"));
        }

        @Override
        public boolean domainAuthenticated(TenantId t, String domain) {
          return true;
        }
      };

  World9(Consumer<TenantGate.Builder> settings) {
    this(settings, InMemoryPilotStore.of());
  }

  World9(Consumer<TenantGate.Builder> settings, PilotStore pilot) {
    this(settings, pilot, b -> b);
  }

  World9(
      Consumer<TenantGate.Builder> settings,
      PilotStore pilot,
      UnaryOperator<Steward.Builder> more) {
    this.pilotStore = pilot;
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

  void intoPilot(TenantId t) {
    machine.enrol(t, RULE);
    pass(t, OnboardingPhase.VETTING);
    machine.transition(t, OnboardingState.DOMAIN_VERIFICATION, RULE, "vetted");
    pass(t, OnboardingPhase.SENDER_DOMAIN_VERIFICATION);
    machine.transition(t, OnboardingState.CONTENT_REVIEW, RULE, "domain verified");
    pass(t, OnboardingPhase.CONTENT_REVIEW);
    machine.transition(t, OnboardingState.PILOT, RULE, "content passed");
  }

  private void pass(TenantId t, OnboardingPhase phase) {
    machine.recordVerdict(
        t, new PhaseVerdict(phase, Verdict.PASS, RULE, clock.instant(), "passed", List.of()));
  }

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

  List<DispatchResult> send(TenantId t, int n) {
    List<DispatchResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(send(t));
    }
    return out;
  }

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
      // events, then the evaluations they ask for
    }
  }

  OnboardingState state(TenantId t) {
    return machine.find(t).orElseThrow().state();
  }
}
