package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultInjectionTest} with the messages dispatched in batches ({@link
 * Dispatcher#dispatchAll}), each batch retried whole by its caller when a failure escapes it: the
 * stores and the transport fail at random before and after their writes, in every phase of the
 * batch; a set-based call fails whole, as one statement does. At the end no message is lost, none
 * left twice (a rerun of a batch sends each message at most once), and no contact got more than its
 * cap.
 */
class DispatchAllFaultInjectionTest {
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final int MESSAGES = 4_000;
  static final int CONTACTS = 400;
  static final int BATCH = 40;
  static final int PER_DAY = 2;

  @Test
  void batchesLoseNoMessageSendNoneTwiceAndExceedNoCap() {
    long seed = Long.getLong("steward.seed", 20261127L);
    FaultInjectionTest.Faults faults = new FaultInjectionTest.Faults(seed, 0.02);
    Random transportDice = new Random(seed ^ 0x5eed);
    SettableClock clock = SettableClock.of(T0);
    WorkStore work = new FaultInjectionTest.FlakyWorkStore(InMemoryWorkStore.of(clock), faults);
    DeliveryLedger realLedger = InMemoryDeliveryLedger.of();
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(
                new FaultInjectionTest.FlakyCapLedger(InMemoryCapLedgerStore.of(), faults), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(PER_DAY, Window.day())).build())
            .build();
    Map<MessageId, Integer> left = new HashMap<>();
    Map<MessageId, Instant> leftAt = new HashMap<>();
    MailTransport transport =
        m -> {
          int roll;
          synchronized (transportDice) {
            roll = faults.on ? transportDice.nextInt(100) : 0;
          }
          if (roll < 3) {
            throw new IllegalStateException("connection reset before the request left");
          }
          if (roll < 4) {
            throw new FaultInjectionTest.InjectedError("transport, before the request left");
          }
          if (roll < 8) {
            return SendResult.retryable(null, "503");
          }
          synchronized (left) {
            left.merge(m.id(), 1, Integer::sum);
            leftAt.put(m.id(), clock.instant());
          }
          return roll < 10
              ? SendResult.unknown("read timed out after the request left")
              : SendResult.accepted("sg-" + m.id());
        };
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .gate(FrequencyGate.of(limiter))
            .workStore(work)
            .ledger(new SetFlakyLedger(realLedger, faults))
            .maxTransportAttempts(50)
            .build();

    List<Message> messages = new ArrayList<>();
    int callerRetries = 0;
    for (int from = 0; from < MESSAGES; from += BATCH) {
      List<Message> batch = new ArrayList<>(BATCH);
      for (int i = from; i < from + BATCH; i++) {
        batch.add(Messages.promo("c" + (i % CONTACTS)).build());
      }
      messages.addAll(batch);
      // a caller whose batch failed tries the whole batch again, as a work item is retried
      while (true) {
        try {
          dispatcher.dispatchAll(batch);
          break;
        } catch (RuntimeException | FaultInjectionTest.InjectedError e) {
          callerRetries++;
        }
      }
    }

    int crashes = 0;
    Instant end = T0.plus(Duration.ofDays(12));
    WorkRunner runner = newRunner(dispatcher, clock);
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofMinutes(30));
      try {
        runner.runDue();
      } catch (RuntimeException | FaultInjectionTest.InjectedError e) {
        // the failure escaped the runner: this instance dies with its claims; a new one starts
        crashes++;
        runner = newRunner(dispatcher, clock);
      }
    }
    // the quiet end: no more faults, and time for every unknown outcome to be listed
    faults.on = false;
    clock.advance(Duration.ofDays(3));
    newRunner(dispatcher, clock).runDue();

    assertThat(faults.injected.get()).as("faults were injected").isGreaterThan(500);
    assertThat(crashes).as("runners crashed").isGreaterThan(10);
    assertThat(callerRetries).isGreaterThan(10);

    // none left twice
    assertThat(left.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    // no contact got more than its cap on any day
    Map<String, Integer> perContactDay = new HashMap<>();
    for (Message m : messages) {
      Instant at = leftAt.get(m.id());
      if (at != null) {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        perContactDay.merge(m.contact().value() + "@" + day, 1, Integer::sum);
      }
    }
    assertThat(perContactDay.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PER_DAY));
    // none lost: every message is sent, failed for good, or listed for operators as unknown
    WorkStore plain = ((FaultInjectionTest.FlakyWorkStore) work).d;
    assertThat(plain.count(WorkState.READY)).as("nothing still waiting").isZero();
    Map<DeliveryStatus, Integer> outcomes = new HashMap<>();
    for (Message m : messages) {
      DeliveryRecord r = realLedger.find(m.tenant(), m.idempotencyKey()).orElse(null);
      assertThat(r).as("message %s has an outcome", m.id()).isNotNull();
      outcomes.merge(r.status(), 1, Integer::sum);
      if (r.status() == DeliveryStatus.SENT) {
        assertThat(left).as("SENT %s left", m.id()).containsKey(m.id());
      }
      if (r.status() == DeliveryStatus.UNKNOWN) {
        assertThat(plain.find(WorkKey.of(m.tenant(), Dispatcher.DEFERRED_KIND, m.id().value())))
            .as("unknown %s is listed for operators", m.id())
            .hasValueSatisfying(w -> assertThat(w.state()).isEqualTo(WorkState.DEAD));
      }
    }
    org.slf4j.LoggerFactory.getLogger(DispatchAllFaultInjectionTest.class)
        .info(
            "seed {}: {} faults, {} runner crashes, {} caller retries, outcomes {}",
            seed,
            faults.injected.get(),
            crashes,
            callerRetries,
            outcomes);
    assertThat(outcomes.keySet())
        .isSubsetOf(DeliveryStatus.SENT, DeliveryStatus.UNKNOWN, DeliveryStatus.FAILED);
    assertThat(outcomes.get(DeliveryStatus.SENT)).isGreaterThan(MESSAGES * 8 / 10);
    assertThat(plain.dead(MESSAGES))
        .allSatisfy(w -> assertThat(w.lastError()).contains("outcome unknown"));
  }

  private static WorkRunner newRunner(Dispatcher dispatcher, SettableClock clock) {
    return dispatcher
        .registerWith(WorkRunner.builder(dispatcher.workStore(), clock).batchSize(200))
        .build();
  }

  /**
   * The flaky ledger of {@link FaultInjectionTest}, whose set-based calls fail whole (before or
   * after their writes), as a database's one statement does, rather than message by message.
   */
  static final class SetFlakyLedger implements DeliveryLedger {
    final DeliveryLedger real;
    final FaultInjectionTest.FlakyLedger flaky;
    final FaultInjectionTest.Faults f;

    SetFlakyLedger(DeliveryLedger real, FaultInjectionTest.Faults f) {
      this.real = real;
      this.flaky = new FaultInjectionTest.FlakyLedger(real, f);
      this.f = f;
    }

    @Override
    public java.util.Map<String, DeliveryRecord> findAll(
        TenantId tenant, java.util.Collection<String> keys) {
      return f.around("ledger.findAll", () -> real.findAll(tenant, keys));
    }

    @Override
    public java.util.Set<MessageId> recordIntents(List<Message> messages, Instant at) {
      return f.around("ledger.recordIntents", () -> real.recordIntents(messages, at));
    }

    @Override
    public List<OutcomeMark> markOutcomes(List<OutcomeMark> marks) {
      return f.around("ledger.markOutcomes", () -> real.markOutcomes(marks));
    }

    @Override
    public boolean recordIntent(Message message, Instant at) {
      return flaky.recordIntent(message, at);
    }

    @Override
    public boolean markOutcome(
        TenantId tenant, String key, DeliveryStatus status, String providerId, Instant at) {
      return flaky.markOutcome(tenant, key, status, providerId, at);
    }

    @Override
    public java.util.Optional<DeliveryRecord> find(TenantId tenant, String key) {
      return flaky.find(tenant, key);
    }

    @Override
    public java.util.Optional<DeliveryRecord> findByMessage(MessageId messageId) {
      return flaky.findByMessage(messageId);
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return flaky.unsettled(olderThan, max);
    }

    @Override
    public List<DeliveryRecord> forAccount(
        TenantId tenant, dev.steward.model.AccountId account, Instant from, Instant to, int max) {
      return flaky.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(TenantId tenant, dev.steward.model.ContactId contact) {
      return flaky.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return flaky.eraseTenant(tenant);
    }
  }
}
