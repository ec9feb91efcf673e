package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.MessageId;
import dev.steward.testing.Concurrently;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Hostile review (rb4): threads race intents into one rewritten in-memory ledger (records in slots
 * both its maps share, keys and message ids taken with putIfAbsent). Exactly one intent wins per
 * idempotency key, exactly one per message id offered under several keys, and exactly one retry per
 * RETRYING record; the record left is the winner's.
 */
class InMemoryLedgerRb4ConcurrencyTest {
  private static final int THREADS = 6;
  private static final int KEYS = 60;

  @RepeatedTest(3)
  void oneIntentWinsPerKeyPerMessageIdAndPerRetry() {
    DeliveryLedger ledger = InMemoryDeliveryLedger.of();
    for (int j = 0; j < KEYS; j++) {
      ledger.recordIntent(
          DeliveryLedgerContract.message("r-" + j, "retry-" + j), DeliveryLedgerContract.T0);
      ledger.markOutcome(
          DeliveryLedgerContract.TENANT,
          "retry-" + j,
          DeliveryStatus.RETRYING,
          null,
          DeliveryLedgerContract.T0);
    }
    Map<String, String> keyWinners = new ConcurrentHashMap<>();
    Map<String, String> idWinners = new ConcurrentHashMap<>();
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger doubleWins = new AtomicInteger();
    Concurrently.run(
        THREADS,
        n -> {
          for (int j = 0; j < KEYS; j++) {
            // one key, a message id per thread
            if (ledger.recordIntent(
                    DeliveryLedgerContract.message("m-" + n + "-" + j, "k-" + j),
                    DeliveryLedgerContract.T0)
                && keyWinners.putIfAbsent("k-" + j, "m-" + n + "-" + j) != null) {
              doubleWins.incrementAndGet();
            }
            // one message id, a key per thread
            if (ledger.recordIntent(
                    DeliveryLedgerContract.message("shared-" + j, "s-" + n + "-" + j),
                    DeliveryLedgerContract.T0)
                && idWinners.putIfAbsent("shared-" + j, "s-" + n + "-" + j) != null) {
              doubleWins.incrementAndGet();
            }
            // the same RETRYING record retried by every thread
            if (ledger.recordIntent(
                DeliveryLedgerContract.message("r-" + j, "retry-" + j),
                DeliveryLedgerContract.T0)) {
              retries.incrementAndGet();
            }
          }
          return null;
        });

    assertThat(doubleWins).hasValue(0);
    assertThat(retries).hasValue(KEYS);
    assertThat(keyWinners).hasSize(KEYS);
    assertThat(idWinners).hasSize(KEYS);
    for (int j = 0; j < KEYS; j++) {
      String key = "k-" + j;
      assertThat(ledger.find(DeliveryLedgerContract.TENANT, key))
          .get()
          .extracting(DeliveryRecord::messageId)
          .isEqualTo(MessageId.of(keyWinners.get(key)));
      assertThat(ledger.findByMessage(MessageId.of("shared-" + j)))
          .get()
          .extracting(DeliveryRecord::idempotencyKey)
          .isEqualTo(idWinners.get("shared-" + j));
      assertThat(ledger.find(DeliveryLedgerContract.TENANT, "retry-" + j))
          .get()
          .extracting(DeliveryRecord::status)
          .isEqualTo(DeliveryStatus.SENDING);
    }
    assertThat(
            ledger.withStatus(
                DeliveryStatus.SENDING, DeliveryLedgerContract.T0.plusSeconds(1), 10_000))
        .hasSize(3 * KEYS);
  }
}
