package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The batch handler of journey steps: its plan, its one dispatch, and claims lost before it. */
class StepBatchTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition TOUCH =
      JourneyDefinition.builder("touch", 1)
          .step(Step.Send.of("first", "tpl-first", MessageKind.EDUCATIONAL, "onboarding", "pause"))
          .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("second")))
          .step(Step.Send.of("second", "tpl-second", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  /** A scheduler and runner over in-memory stores, sending through {@code transport}. */
  private static final class Setup {
    final SettableClock clock = SettableClock.of(T0);
    final WorkStore work = InMemoryWorkStore.of(clock);
    final JourneyScheduler journeys;
    final WorkRunner runner;

    Setup(
        JourneyStore store,
        Function<Message, DispatchResult> sender,
        dev.steward.delivery.MailTransport transport,
        boolean viaDispatcher,
        boolean batch) {
      Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
      JourneyScheduler.Builder b =
          JourneyScheduler.builder(clock, store, work).journey(TOUCH).batchSteps(batch);
      journeys = (viaDispatcher ? b.dispatcher(dispatcher) : b.sender(sender)).build();
      runner =
          journeys
              .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
              .build();
    }

    List<ContactId> enrol(int n) {
      NumberedContacts.enrolAll(journeys, T, n, "touch");
      List<ContactId> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(NumberedContacts.contact(i));
      }
      return out;
    }
  }

  /** How many steps had recorded a send when each message reached the transport. */
  private static List<Integer> recordedAtEachSend(boolean batch) {
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    List<Integer> seen = new ArrayList<>();
    List<ContactId> contacts = new ArrayList<>();
    dev.steward.delivery.MailTransport transport =
        m -> {
          int recorded = 0;
          for (ContactId c : contacts) {
            for (Enrolment e : store.enrolments(T, c)) {
              recorded += e.seq() > 0 ? 1 : 0;
            }
          }
          seen.add(recorded);
          return SendResult.accepted("p-" + m.id());
        };
    Setup s = new Setup(store, null, transport, true, batch);
    contacts.addAll(s.enrol(30));

    assertThat(s.runner.runDue()).isEqualTo(30);
    return seen;
  }

  @Test
  void theBatchHandsEveryPlannedMessageOverBeforeAnyStepRecordsAndEachOnce() {
    // alone, each step records its send before the next step sends
    assertThat(recordedAtEachSend(false)).hasSize(30).last().isEqualTo(29);
    // in a batch, all thirty go in one dispatchAll before the runs record them
    assertThat(recordedAtEachSend(true)).hasSize(30).containsOnly(0);
  }

  @Test
  void aStepWhoseClaimIsGoneBeforeTheBatchSendsSendsNothingAndTheOthersGoOn() {
    AtomicInteger sent = new AtomicInteger();
    List<String> to = new ArrayList<>();
    String[] victim = new String[1];
    WorkStore[] work = new WorkStore[1];
    JourneyStore store =
        new DelegatingJourneyStore(InMemoryJourneyStore.of()) {
          @Override
          public Map<String, Enrolment> findAll(TenantId tenant, Collection<String> ids) {
            if (victim[0] != null) {
              // cancelled between the claim and the batch (an erasure, another's cancel)
              work[0].cancel(WorkKey.of(T, JourneyScheduler.STEP_KIND, victim[0]));
            }
            return super.findAll(tenant, ids);
          }
        };
    Setup s =
        new Setup(
            store,
            null,
            m -> {
              sent.incrementAndGet();
              to.add(m.contact().value());
              return SendResult.accepted("p-" + m.id());
            },
            true,
            true);
    work[0] = s.work;
    List<ContactId> contacts = s.enrol(5);
    Enrolment lost = store.enrolments(T, contacts.get(2)).get(0);
    victim[0] = lost.id();

    s.runner.runDue();

    assertThat(to).containsExactlyInAnyOrder("c0", "c1", "c3", "c4");
    assertThat(store.find(T, lost.id()).orElseThrow().seq()).isZero();
    assertThat(store.enrolments(T, contacts.get(0)).get(0).step()).isEqualTo("second");
  }

  @Test
  void withASenderFunctionEveryStepSendsItselfOnceAndTheBatchStillReadsTogether() {
    AtomicInteger findAlls = new AtomicInteger();
    AtomicInteger finds = new AtomicInteger();
    JourneyStore store =
        new DelegatingJourneyStore(InMemoryJourneyStore.of()) {
          @Override
          public Map<String, Enrolment> findAll(TenantId tenant, Collection<String> ids) {
            findAlls.incrementAndGet();
            return super.findAll(tenant, ids);
          }

          @Override
          public Optional<Enrolment> find(TenantId tenant, String id) {
            finds.incrementAndGet();
            return super.find(tenant, id);
          }
        };
    List<String> sent = new ArrayList<>();
    Setup s =
        new Setup(
            store,
            m -> {
              sent.add(m.id().value());
              return new DispatchResult(
                  m,
                  dev.steward.delivery.DispatchStatus.SENT,
                  dev.steward.delivery.Decision.allow(),
                  SendResult.accepted("p-" + m.id()));
            },
            m -> SendResult.accepted("unused"),
            false,
            true);
    s.enrol(20);
    finds.set(0);

    assertThat(s.runner.runDue()).isEqualTo(20);

    assertThat(sent).hasSize(20).doesNotHaveDuplicates();
    assertThat(findAlls).hasValue(1);
    assertThat(finds).hasValue(0);
  }
}
