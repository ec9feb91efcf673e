package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentGate;
import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link Dispatcher#dispatchAll} is set-based on a database: a batch of K allowed messages through
 * the consent gate (with suppressions), the frequency gate and the JDBC ledger takes the same
 * bounded number of statements whatever K when its intents are written in one group (ten contacts
 * an account, as the journey benchmark has them, under caps per contact), outside the cap ledger's
 * own update (whose row locking is per subject today; one update call is made for the whole batch);
 * and every intent is committed before the first send: the transport, reading the ledger through
 * another data source, finds its message SENDING.
 */
class JdbcDispatchAllStatementsTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** Statement counts of one batch, outside the cap ledger and of it, and commits. */
  record Counts(int statements, int capLedger, int transactions) {}

  @Test
  void onH2() {
    check(TestDatabase.h2(JdbcDispatchAllStatementsTest.class));
  }

  @Test
  void onPostgres() {
    check(TestDatabase.postgres());
  }

  private static void check(TestDatabase db) {
    Counts ten = run(db, 10, "ten", 100);
    Counts hundred = run(db, 100, "hundred", 100);
    org.slf4j.LoggerFactory.getLogger(JdbcDispatchAllStatementsTest.class)
        .info(
            "{}: 10 messages {}, 100 messages {}",
            db.isPostgres() ? "PostgreSQL" : "H2",
            ten,
            hundred);
    assertThat(hundred.statements())
        .as("10 messages: %s; 100 messages: %s", ten, hundred)
        .isLessThanOrEqualTo(12)
        .isEqualTo(ten.statements());
    assertThat(hundred.transactions()).isEqualTo(ten.transactions());

    // in groups of the default size, each group past the first costs what the second one does:
    // its intents, its outcomes and its unit, whatever its size
    int ahead = Dispatcher.DEFAULT_INTENTS_AHEAD;
    Counts one = run(db, ahead, "one", ahead);
    Counts two = run(db, 2 * ahead, "two", ahead);
    Counts grouped = run(db, 100, "grouped", ahead);
    int groups = (100 + ahead - 1) / ahead;
    int perGroup = two.statements() - one.statements();
    assertThat(perGroup).as("a group's own statements").isBetween(2, 4);
    assertThat(grouped.statements())
        .as("100 messages in %d groups of %d", groups, ahead)
        .isEqualTo(one.statements() + (groups - 1) * perGroup);
  }

  private static Counts run(TestDatabase db, int k, String batch, int intentsAhead) {
    db.clear();
    StatementCountingDataSource counting = new StatementCountingDataSource(db.dataSource());
    DeliveryLedger observer = JdbcDeliveryLedger.of(db.dataSource());
    List<DeliveryStatus> seenAtSend = new CopyOnWriteArrayList<>();
    SettableClock clock = SettableClock.of(T0);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(counting), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(3, Window.day())).build())
            .build();
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  seenAtSend.add(
                      observer
                          .find(m.tenant(), m.idempotencyKey())
                          .map(DeliveryRecord::status)
                          .orElse(DeliveryStatus.FAILED));
                  return SendResult.accepted("sg-" + m.id());
                },
                clock)
            .gate(ConsentGate.of(JdbcConsentStore.of(counting), JdbcSuppressionStore.of(counting)))
            .gate(FrequencyGate.of(limiter))
            .ledger(JdbcDeliveryLedger.of(counting))
            .workStore(JdbcWorkStore.of(counting))
            .intentsAhead(intentsAhead)
            .build();
    List<Message> messages = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      messages.add(
          Messages.promo(batch + "-c" + i)
              .account(AccountId.of(batch + "-a" + i / 10)) // ten contacts an account
              .id(MessageId.of(batch + "-m" + i))
              .idempotencyKey(batch + "-k" + i)
              .build());
    }
    // the dialect is detected once per store, before the count
    dispatcher.ledger().find(messages.get(0).tenant(), "warm-up");
    counting.reset();

    List<DispatchResult> results = dispatcher.dispatchAll(messages);

    assertThat(results).extracting(DispatchResult::status).containsOnly(DispatchStatus.SENT);
    assertThat(seenAtSend).hasSize(k).containsOnly(DeliveryStatus.SENDING);
    assertThat(observer.find(messages.get(k - 1).tenant(), batch + "-k" + (k - 1)))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(DeliveryStatus.SENT));
    int cap = 0;
    int other = 0;
    for (String sql : counting.statements) {
      if (sql.toLowerCase(Locale.ROOT).contains("steward_cap_ledger")) {
        cap++;
      } else {
        other++;
      }
    }
    return new Counts(other, cap, counting.transactions.get());
  }
}
