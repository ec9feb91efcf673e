package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb2): a journey outcome listener that sends a message through the dispatcher (a
 * CSM told of each step) runs inside the step's unit of work on PostgreSQL (a batch's unit, or a
 * single step's). Its intent must still be durable before its send, and a unit that fails and runs
 * again must not send it a second time.
 */
class UnitIntentDurabilityAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONCE =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final int N = 10;

  /** A data source whose next commit, once armed, is refused (rolled back instead). */
  private static final class RefusingCommits extends ForwardingDataSource {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();

    RefusingCommits(DataSource delegate) {
      super(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = delegate.getConnection();
      return (Connection)
          java.lang.reflect.Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("commit") && armed.compareAndSet(true, false)) {
                  c.rollback();
                  refused.incrementAndGet();
                  throw new SQLException("could not serialize access", "40001");
                }
                try {
                  return method.invoke(c, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  private static Message notice(String enrolment, ContactId contact, AccountId account) {
    return Message.builder()
        .id(MessageId.of("notice-" + enrolment))
        .idempotencyKey("notice:" + enrolment)
        .tenant(T)
        .account(account)
        .contact(contact)
        .to(EmailAddress.of("csm@example.com"))
        .kind(MessageKind.OPERATIONAL)
        .category("csm")
        .source(Source.MARKETING)
        .templateId("tpl-notice")
        .createdAt(T0)
        .build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aMessageSentByAnOutcomeListenerLeavesOnceWhenTheStepsUnitFails(boolean batch) {
    DB.clear();
    RefusingCommits refusing = new RefusingCommits(DB.dataSource());
    HookedDataSource ds = new HookedDataSource(refusing);
    SettableClock clock = SettableClock.of(T0);
    Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    Map<String, Boolean> durableAtSend = new ConcurrentHashMap<>();
    JdbcDeliveryLedger ledger = JdbcDeliveryLedger.of(ds);
    JdbcDeliveryLedger elsewhere = JdbcDeliveryLedger.of(DB.dataSource());
    WorkStore work = JdbcWorkStore.of(ds);
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
                  // what another connection (a process after a crash) sees of its intent now
                  durableAtSend.merge(
                      m.id().value(),
                      elsewhere.find(m.tenant(), m.idempotencyKey()).isPresent(),
                      Boolean::logicalAnd);
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(ledger)
            .build();
    AtomicReference<Dispatcher> notices = new AtomicReference<>(dispatcher);
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, JdbcJourneyStore.of(ds), work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .batchSteps(batch)
            .outcomeListener(
                (d, e, h) -> {
                  if (h.outcome() == StepOutcome.SENT) {
                    notices.get().dispatch(notice(e.id(), e.contact(), AccountId.of("acme")));
                  }
                })
            .build();
    NumberedContacts.enrolAll(journeys, T, N, "once", i -> AccountId.of("acme"));
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
            .build();
    // the step's unit's commit is refused once (a serialization failure): it runs again
    ds.before("UPDATE steward_journey_enrolment", () -> refusing.armed.set(true));

    runner.runDue();

    assertThat(refusing.refused).hasValue(1);
    assertThat(left.keySet().stream().filter(k -> k.startsWith("notice-"))).hasSize(N);
    assertThat(left).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
    assertThat(durableAtSend).allSatisfy((id, d) -> assertThat(d).as(id).isTrue());
  }

  /**
   * A listener that sends one message per account (the same key for every enrolment of the batch)
   * from inside the batch's unit: the first goes out, its record is then held by the unit, and the
   * others are duplicates decided inside the unit, never waiting for the unit itself.
   */
  @Test
  @Timeout(120)
  void oneKeySentByTheListenerForEveryStepOfABatchLeavesOnceAndWaitsForNothing() {
    DB.clear();
    SettableClock clock = SettableClock.of(T0);
    Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    WorkStore work = JdbcWorkStore.of(DB.dataSource());
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(DB.dataSource()))
            .build();
    AtomicReference<Dispatcher> notices = new AtomicReference<>(dispatcher);
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, JdbcJourneyStore.of(DB.dataSource()), work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .outcomeListener(
                (d, e, h) -> {
                  if (h.outcome() == StepOutcome.SENT) {
                    answers.merge(
                        notices
                            .get()
                            .dispatch(notice("acme", e.contact(), AccountId.of("acme")))
                            .status()
                            .name(),
                        1,
                        Integer::sum);
                  }
                })
            .build();
    NumberedContacts.enrolAll(journeys, T, N, "once", i -> AccountId.of("acme"));
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
            .build();

    runner.runDue();

    assertThat(left).containsKey("notice-acme").hasSize(N + 1);
    assertThat(left).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
    assertThat(answers).containsEntry("SENT", 1).containsEntry("DUPLICATE", N - 1);
  }
}
