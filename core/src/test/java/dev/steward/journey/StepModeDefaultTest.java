package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.SendResult;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * mem: how journey steps run unless the builder says: in batches over stores that save statements
 * by it, each alone when the journey store, the work store and the dispatcher's ledger are all in
 * memory; an explicit choice always stands.
 */
class StepModeDefaultTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONE =
      JourneyDefinition.builder("one", 1)
          .step(Step.Send.of("first", "tpl-first", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  private final SettableClock clock = SettableClock.of(T0);
  private final WorkStore memoryWork = InMemoryWorkStore.of(clock);

  private JourneyScheduler scheduler(
      JourneyStore store, DeliveryLedger ledger, Consumer<JourneyScheduler.Builder> more) {
    Dispatcher dispatcher =
        Dispatcher.builder(m -> SendResult.accepted("p-" + m.id()), clock)
            .workStore(memoryWork)
            .ledger(ledger)
            .build();
    JourneyScheduler.Builder b =
        JourneyScheduler.builder(clock, store, memoryWork).journey(ONE).dispatcher(dispatcher);
    more.accept(b);
    return b.build();
  }

  /** A ledger that is not the in-memory one (as a JDBC ledger is not), forwarding to one. */
  private static DeliveryLedger elsewhere() {
    return forwarding(DeliveryLedger.class, InMemoryDeliveryLedger.of());
  }

  /** A {@code type} that is not {@code inner}'s class, forwarding every call to it. */
  private static <T> T forwarding(Class<T> type, T inner) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              try {
                return method.invoke(inner, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }

  private static DispatchResult neverSent(dev.steward.model.Message m) {
    throw new AssertionError("no step runs in these tests");
  }

  @Test
  void overStoresAllInMemoryEachStepRunsAlone() {
    assertThat(
            scheduler(InMemoryJourneyStore.of(), InMemoryDeliveryLedger.of(), b -> {})
                .batchesSteps())
        .isFalse();
    JourneyScheduler viaSender =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), memoryWork)
            .journey(ONE)
            .sender(StepModeDefaultTest::neverSent)
            .build();
    assertThat(viaSender.batchesSteps()).isFalse();
  }

  @Test
  void overAnyStoreNotInMemoryStepsRunInBatches() {
    assertThat(
            scheduler(
                    new DelegatingJourneyStore(InMemoryJourneyStore.of()),
                    InMemoryDeliveryLedger.of(),
                    b -> {})
                .batchesSteps())
        .isTrue();
    assertThat(scheduler(InMemoryJourneyStore.of(), elsewhere(), b -> {}).batchesSteps()).isTrue();
    JourneyScheduler overOtherWork =
        JourneyScheduler.builder(
                clock, InMemoryJourneyStore.of(), forwarding(WorkStore.class, memoryWork))
            .journey(ONE)
            .sender(StepModeDefaultTest::neverSent)
            .build();
    assertThat(overOtherWork.batchesSteps()).isTrue();
  }

  @Test
  void anExplicitChoiceStands() {
    assertThat(
            scheduler(
                    InMemoryJourneyStore.of(), InMemoryDeliveryLedger.of(), b -> b.batchSteps(true))
                .batchesSteps())
        .isTrue();
    assertThat(
            scheduler(
                    new DelegatingJourneyStore(InMemoryJourneyStore.of()),
                    elsewhere(),
                    b -> b.batchSteps(false))
                .batchesSteps())
        .isFalse();
  }
}
