package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * 10,000 messages through a pipeline whose stores and transport fail at random points, before and
 * after their writes, with exceptions and with {@link Error}s, and whose runner "crashes" (is
 * dropped with its claims) whenever a failure escapes it. Seeded: {@code -Dsteward.seed=N} replays
 * a run. At the end no message is lost, none left twice, and no contact got more than its cap.
 */
class FaultInjectionTest {
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final int MESSAGES = 10_000;
  static final int CONTACTS = 1_000;
  static final int PER_DAY = 2;

  /** An Error a store or transport throws, as an assertion or a linkage problem would. */
  static final class InjectedError extends Error {
    private static final long serialVersionUID = 1L;

    InjectedError(String where) {
      super("injected error in " + where);
    }
  }

  /**
   * Fails at random: before a call (nothing done) or after it (done, but the caller never knows).
   */
  static final class Faults {
    final Random random;
    final double rate;
    final AtomicInteger injected = new AtomicInteger();
    volatile boolean on = true;

    Faults(long seed, double rate) {
      this.random = new Random(seed);
      this.rate = rate;
    }

    synchronized void maybe(String where) {
      if (on && random.nextDouble() < rate) {
        injected.incrementAndGet();
        if (random.nextInt(5) == 0) {
          throw new InjectedError(where);
        }
        throw new IllegalStateException("injected failure in " + where);
      }
    }

    <T> T around(String where, Supplier<T> call) {
      maybe(where + " (before)");
      T result = call.get();
      maybe(where + " (after)");
      return result;
    }
  }

  static final class FlakyWorkStore implements WorkStore {
    final WorkStore d;
    final Faults f;

    FlakyWorkStore(WorkStore d, Faults f) {
      this.d = d;
      this.f = f;
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      return f.around("work.schedule", () -> d.schedule(item, ifExists));
    }

    @Override
    public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
      return f.around("work.scheduleAll", () -> d.scheduleAll(items, ifExists));
    }

    @Override
    public List<ClaimedWork> claim(ClaimRequest request) {
      return f.around("work.claim", () -> d.claim(request));
    }

    @Override
    public List<Lease> renew(Collection<Lease> leases, Duration lease) {
      return f.around("work.renew", () -> d.renew(leases, lease));
    }

    @Override
    public List<Completion> complete(List<Completion> completions) {
      return f.around("work.complete", () -> d.complete(completions));
    }

    @Override
    public int release(Collection<Lease> leases) {
      return f.around("work.release", () -> d.release(leases));
    }

    @Override
    public boolean cancel(WorkKey key) {
      return d.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return d.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return d.cancelTenant(tenant);
    }

    @Override
    public Optional<WorkItem> find(WorkKey key) {
      return f.around("work.find", () -> d.find(key));
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return d.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return d.dead(max);
    }

    @Override
    public boolean retryDead(WorkKey key, Instant at) {
      return d.retryDead(key, at);
    }

    @Override
    public long count(WorkState state) {
      return d.count(state);
    }
  }

  static final class FlakyLedger implements DeliveryLedger {
    final DeliveryLedger d;
    final Faults f;

    FlakyLedger(DeliveryLedger d, Faults f) {
      this.d = d;
      this.f = f;
    }

    @Override
    public boolean recordIntent(Message message, Instant at) {
      return f.around("ledger.recordIntent", () -> d.recordIntent(message, at));
    }

    @Override
    public boolean markOutcome(
        dev.steward.model.TenantId tenant,
        String key,
        DeliveryStatus status,
        String providerMessageId,
        Instant at) {
      return f.around(
          "ledger.markOutcome", () -> d.markOutcome(tenant, key, status, providerMessageId, at));
    }

    @Override
    public Optional<DeliveryRecord> find(dev.steward.model.TenantId tenant, String key) {
      return f.around("ledger.find", () -> d.find(tenant, key));
    }

    @Override
    public List<DeliveryRecord> forAccount(
        dev.steward.model.TenantId tenant,
        dev.steward.model.AccountId account,
        Instant from,
        Instant to,
        int max) {
      return d.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(
        dev.steward.model.TenantId tenant, dev.steward.model.ContactId contact) {
      return d.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(dev.steward.model.TenantId tenant) {
      return d.eraseTenant(tenant);
    }

    @Override
    public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
      return d.findByMessage(messageId);
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return d.unsettled(olderThan, max);
    }
  }

  static final class FlakyCapLedger implements CapLedgerStore {
    final CapLedgerStore d;
    final Faults f;

    FlakyCapLedger(CapLedgerStore d, Faults f) {
      this.d = d;
      this.f = f;
    }

    @Override
    public <R> R update(
        List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
      return f.around("caps.update", () -> d.update(subjects, change));
    }

    @Override
    public List<SendLog> read(List<SubjectKey> subjects) {
      return f.around("caps.read", () -> d.read(subjects));
    }

    @Override
    public boolean erase(SubjectKey subject) {
      return d.erase(subject);
    }

    @Override
    public int eraseTenant(dev.steward.model.TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }

  @Test
  void noMessageIsLostNoneLeavesTwiceAndNoCapIsExceeded() {
    Run run = new Run(FlakyLedger::new);
    for (int i = 0; i < MESSAGES; i++) {
      Message m = Messages.promo("c" + (i % CONTACTS)).build();
      run.messages.add(m);
      // a caller whose dispatch failed tries again, as an HTTP client would
      while (true) {
        try {
          run.dispatcher.dispatch(m);
          break;
        } catch (RuntimeException | InjectedError e) {
          run.callerRetries++;
        }
      }
    }
    run.drain();
    run.assertNoneLostNoneLeftTwiceNoCapExceeded(FaultInjectionTest.class);
  }

  /**
   * One seeded pipeline over the flaky stores and a transport that fails at random, before and
   * after the request left: the messages the test dispatches, the runners that drain what they
   * leave, and the checks at the end. The batched form ({@link DispatchAllFaultInjectionTest}) runs
   * the same world.
   */
  static final class Run {
    final long seed = Long.getLong("steward.seed", 20261127L);
    final Faults faults = new Faults(seed, 0.02);
    final SettableClock clock = SettableClock.of(T0);
    final WorkStore work = new FlakyWorkStore(InMemoryWorkStore.of(clock), faults);
    final DeliveryLedger realLedger = InMemoryDeliveryLedger.of();
    final Map<MessageId, Integer> left = new HashMap<>();
    final Map<MessageId, Instant> leftAt = new HashMap<>();
    final List<Message> messages = new ArrayList<>();
    final Dispatcher dispatcher;
    int callerRetries;
    int crashes;

    /** A run whose ledger is the real one behind {@code flakyLedger}'s faults. */
    Run(java.util.function.BiFunction<DeliveryLedger, Faults, DeliveryLedger> flakyLedger) {
      Random transportDice = new Random(seed ^ 0x5eed);
      FrequencyCapLimiter limiter =
          FrequencyCapLimiter.builder(
                  new FlakyCapLedger(InMemoryCapLedgerStore.of(), faults), clock)
              .policy(CapPolicy.builder().cap(Cap.perContact(PER_DAY, Window.day())).build())
              .build();
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
              throw new InjectedError("transport, before the request left");
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
      dispatcher =
          Dispatcher.builder(transport, clock)
              .gate(FrequencyGate.of(limiter))
              .workStore(work)
              .ledger(flakyLedger.apply(realLedger, faults))
              .maxTransportAttempts(50)
              .build();
    }

    /**
     * Drains 12 days of deferred work with runners that crash (are dropped with their claims)
     * whenever a failure escapes them, then a quiet end without faults.
     */
    void drain() {
      Instant end = T0.plus(Duration.ofDays(12));
      WorkRunner runner = newRunner();
      while (clock.instant().isBefore(end)) {
        clock.advance(Duration.ofMinutes(30));
        try {
          runner.runDue();
        } catch (RuntimeException | InjectedError e) {
          // the failure escaped the runner: this instance dies with its claims; a new one starts
          crashes++;
          runner = newRunner();
        }
      }
      // the quiet end: no more faults, and time for every unknown outcome to be listed
      faults.on = false;
      clock.advance(Duration.ofDays(3));
      newRunner().runDue();
    }

    private WorkRunner newRunner() {
      return dispatcher
          .registerWith(WorkRunner.builder(dispatcher.workStore(), clock).batchSize(200))
          .build();
    }

    /** No message lost, none left twice, no contact over its cap on any day. */
    void assertNoneLostNoneLeftTwiceNoCapExceeded(Class<?> test) {
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
      assertThat(perContactDay.values())
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PER_DAY));
      // none lost: every message is sent, failed for good, or listed for operators as unknown
      WorkStore plain = ((FlakyWorkStore) work).d;
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
      org.slf4j.LoggerFactory.getLogger(test)
          .info(
              "seed {}: {} faults, {} runner crashes, {} caller retries, outcomes {}",
              seed,
              faults.injected.get(),
              crashes,
              callerRetries,
              outcomes);
      assertThat(outcomes.keySet())
          .isSubsetOf(DeliveryStatus.SENT, DeliveryStatus.UNKNOWN, DeliveryStatus.FAILED);
      assertThat(outcomes.get(DeliveryStatus.SENT)).isGreaterThan(messages.size() * 8 / 10);
      assertThat(plain.dead(messages.size()))
          .allSatisfy(w -> assertThat(w.lastError()).contains("outcome unknown"));
    }
  }
}
