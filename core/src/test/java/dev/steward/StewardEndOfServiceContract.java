package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.EndOfService;
import dev.steward.onboarding.EndOfServiceNotice;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.Verdict;
import dev.steward.onboarding.WarmUpPlan;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkListener;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The end of service (issue 15, phase 8) through Steward over virtual days: a terminated tenant's
 * transactional mail passes during the grace and is refused after it, other mail is refused at once
 * with the policy's reason, deferred mail never goes out, the listener is told at least once, and
 * the data is erased once after the retention unless held. Run on every kind of {@link Stores}.
 */
abstract class StewardEndOfServiceContract {
  static final TenantId ACME = TenantId.of("acme");
  static final Actor RULE = Actor.rule("test");
  static final Actor PERSON = Actor.human("trust@isv");
  static final SenderIdentities SENDERS =
      new SenderIdentities() {
        @Override
        public Optional<EmailAddress> from(Message message) {
          return Optional.of(EmailAddress.of("news@acme.example"));
        }

        @Override
        public boolean domainAuthenticated(TenantId tenant, String domain) {
          return true;
        }
      };

  final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
  final RecordingTransport transport = RecordingTransport.of();
  final List<EndOfServiceNotice> notices = new CopyOnWriteArrayList<>();

  /** Fresh, empty stores. */
  abstract Stores stores(Clock clock);

  Steward.Builder builder(Stores stores, EndOfServicePolicy policy) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(transport)
        .tenantGate(SENDERS)
        .endOfService(policy, notices::add);
  }

  static void drain(Steward steward) {
    for (int i = 0; i < 100; i++) {
      if (steward.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

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
    m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
  }

  int ids;

  Message message(MessageKind kind) {
    String id = "m-" + (++ids);
    return Message.builder()
        .id(MessageId.of(id))
        .tenant(ACME)
        .account(AccountId.of("globex"))
        .contact(ContactId.of("c-" + id))
        .to("c-" + id + "@example.com")
        .kind(kind)
        .category(kind == MessageKind.TRANSACTIONAL ? "receipts" : "offers")
        .source(kind == MessageKind.TRANSACTIONAL ? Source.PRODUCT : Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  static String reasons(DispatchResult r) {
    return String.join(" | ", r.decision().reasons().stream().map(Reason::detail).toList());
  }

  @Test
  void transactionalMailPassesDuringTheGraceAndEverythingElseIsRefusedNamingThePolicy() {
    Steward steward = builder(stores(clock), EndOfServicePolicy.ofDefaults()).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    assertThat(steward.dispatch(message(MessageKind.PROMOTIONAL)).status())
        .isEqualTo(DispatchStatus.SENT);

    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "fraud confirmed");

    DispatchResult receipt = steward.dispatch(message(MessageKind.TRANSACTIONAL));
    assertThat(receipt.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(reasons(receipt)).contains("end-of-service policy", "transactional mail passes");
    DispatchResult promo = steward.dispatch(message(MessageKind.PROMOTIONAL));
    assertThat(promo.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(reasons(promo))
        .contains("end-of-service policy: no promotional mail after termination");
    DispatchResult ops = steward.dispatch(message(MessageKind.OPERATIONAL));
    assertThat(ops.status()).isEqualTo(DispatchStatus.SUPPRESSED);

    clock.advance(Duration.ofDays(13));
    assertThat(steward.dispatch(message(MessageKind.TRANSACTIONAL)).status())
        .isEqualTo(DispatchStatus.SENT);
    clock.advance(Duration.ofDays(1));
    DispatchResult late = steward.dispatch(message(MessageKind.TRANSACTIONAL));
    assertThat(late.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(reasons(late)).contains("grace for transactional mail (14 days) ended");
    assertThat(transport.sent()).hasSize(3);
  }

  @Test
  void withNoGraceEvenTransactionalMailIsRefusedAtOnce() {
    Steward steward =
        builder(stores(clock), EndOfServicePolicy.builder().grace(Duration.ZERO).build()).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "closed");
    assertThat(steward.dispatch(message(MessageKind.TRANSACTIONAL)).status())
        .isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void marketingDeferredBeforeTheTerminationNeverGoesOut() {
    Steward steward =
        Steward.builder(clock)
            .stores(stores(clock))
            .transport(transport)
            .tenantGate(SENDERS, g -> g.plan(WarmUpPlan.builder().stages(1, 2).build()))
            .endOfService(EndOfServicePolicy.ofDefaults(), notices::add)
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.PILOT);
    assertThat(steward.dispatch(message(MessageKind.PROMOTIONAL)).status())
        .isEqualTo(DispatchStatus.SENT);
    DispatchResult second = steward.dispatch(message(MessageKind.PROMOTIONAL));
    assertThat(second.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(steward.dispatcher().deferred(ACME, second.message().id())).isPresent();

    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "fraud confirmed");
    clock.advance(Duration.ofDays(2));
    drain(steward);

    assertThat(transport.sent()).hasSize(1);
    assertThat(steward.dispatcher().deferred(ACME, second.message().id())).isEmpty();
  }

  @Test
  void aListenerThatThrowsIsToldAgainWithTheSameNoticeId() {
    AtomicInteger calls = new AtomicInteger();
    List<String> ids = new CopyOnWriteArrayList<>();
    Steward steward =
        Steward.builder(clock)
            .stores(stores(clock))
            .transport(transport)
            .endOfService(
                EndOfServicePolicy.ofDefaults(),
                n -> {
                  ids.add(n.noticeId());
                  if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("SendGrid is down");
                  }
                })
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "fraud confirmed");
    for (int i = 0; i < 10 && calls.get() < 3; i++) {
      drain(steward);
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(calls.get()).isEqualTo(3);
    assertThat(ids).hasSize(3).containsOnly(ids.get(0));
    // told; nothing further
    clock.advance(Duration.ofHours(3));
    drain(steward);
    assertThat(calls.get()).isEqualTo(3);
    assertThat(ids.get(0)).startsWith("acme/eos-");
    assertThat(
            steward
                .stores()
                .work()
                .find(
                    WorkKey.of(
                        ACME, EndOfService.NOTICE_KIND, ids.get(0).substring("acme/".length()))))
        .isEmpty();
  }

  @Test
  void theDataIsErasedOnceAfterTheRetentionAcrossTwoInstances() {
    Stores[] both = instances(clock);
    List<WorkItem> erasures = new CopyOnWriteArrayList<>();
    WorkListener counting =
        new WorkListener() {
          @Override
          public void onFinished(WorkItem item, Next next, Duration took) {
            if (item.key().kind().equals(EndOfService.ERASE_KIND)) {
              erasures.add(item);
            }
          }
        };
    EndOfServicePolicy policy = EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build();
    Steward one = builder(both[0], policy).workListener(counting).build();
    Steward two = builder(both[1], policy).workListener(counting).build();
    OnboardingStateMachine m = one.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "contract ended");
    drain(two);
    drain(one);
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0).eraseAt()).contains(clock.instant().plus(Duration.ofDays(30)));

    clock.advance(Duration.ofDays(29));
    drain(one);
    drain(two);
    assertThat(two.onboarding().orElseThrow().find(ACME)).isPresent();

    clock.advance(Duration.ofDays(1).plusMinutes(1));
    drain(two);
    drain(one);
    assertThat(erasures).hasSize(1);
    assertThat(one.onboarding().orElseThrow().find(ACME)).isEmpty();
    assertThat(two.onboarding().orElseThrow().find(ACME)).isEmpty();
    clock.advance(Duration.ofDays(60));
    drain(one);
    drain(two);
    assertThat(erasures).hasSize(1);
  }

  @Test
  void theSweepStoresAnErasureLostWithTheInstanceThatTerminated() {
    Stores stores = stores(clock);
    EndOfServicePolicy policy = EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build();
    Steward steward = builder(stores, policy).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "contract ended");
    // the instance died after the move: its erasure was never stored
    assertThat(stores.work().cancelTenant(ACME)).isPositive();
    clock.advance(Duration.ofDays(1));
    drain(steward);
    clock.advance(Duration.ofDays(30));
    drain(steward);
    assertThat(m.find(ACME)).isEmpty();
  }

  /** Two instances' stores over the same data (memory: the same stores). */
  abstract Stores[] instances(Clock clock);

  @Test
  void aLegalHoldKeepsTheData() {
    Steward steward =
        builder(stores(clock), EndOfServicePolicy.builder().legalHold().build()).build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    into(m, ACME, OnboardingState.ACTIVE);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "litigation");
    drain(steward);
    assertThat(notices).singleElement().satisfies(n -> assertThat(n.eraseAt()).isEmpty());
    clock.advance(Duration.ofDays(3000));
    drain(steward);
    assertThat(m.find(ACME))
        .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(OnboardingState.TERMINATED));
  }

  @Test
  void badPolicyValuesAreRefusedByName() {
    assertThatThrownBy(() -> EndOfServicePolicy.builder().grace(Duration.ofDays(-1)).build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageStartingWith("grace must be");
    assertThatThrownBy(() -> EndOfServicePolicy.builder().retention(Duration.ofDays(-1)).build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageStartingWith("retention must be");
    assertThatThrownBy(
            () -> EndOfServicePolicy.builder().retention(Duration.ofDays(100_000)).build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageStartingWith("retention must be");
    assertThatThrownBy(
            () ->
                EndOfServicePolicy.builder()
                    .grace(Duration.ofDays(30))
                    .retention(Duration.ofDays(7))
                    .build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("retention PT168H is shorter than the grace");
    assertThat(EndOfServicePolicy.ofDefaults().grace()).isEqualTo(Duration.ofDays(14));
    assertThat(EndOfServicePolicy.ofDefaults().retention()).contains(Duration.ofDays(90));
  }
}
