package dev.steward.delivery;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  static final int MESSAGES = 4_000;
  static final int CONTACTS = 400;
  static final int BATCH = 40;

  @Test
  void batchesLoseNoMessageSendNoneTwiceAndExceedNoCap() {
    FaultInjectionTest.Run run = new FaultInjectionTest.Run(SetFlakyLedger::new);
    for (int from = 0; from < MESSAGES; from += BATCH) {
      List<Message> batch = new ArrayList<>(BATCH);
      for (int i = from; i < from + BATCH; i++) {
        batch.add(Messages.promo("c" + (i % CONTACTS)).build());
      }
      run.messages.addAll(batch);
      // a caller whose batch failed tries the whole batch again, as a work item is retried
      while (true) {
        try {
          run.dispatcher.dispatchAll(batch);
          break;
        } catch (RuntimeException | FaultInjectionTest.InjectedError e) {
          run.callerRetries++;
        }
      }
    }
    run.drain();
    run.assertNoneLostNoneLeftTwiceNoCapExceeded(DispatchAllFaultInjectionTest.class);
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
