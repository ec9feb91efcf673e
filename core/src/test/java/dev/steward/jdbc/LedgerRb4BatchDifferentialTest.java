package dev.steward.jdbc;

import static dev.steward.jdbc.Rb4Differential.pick;

import dev.steward.delivery.DeliveryLedgerContract;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.OutcomeMark;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb4): the rewritten in-memory ledger (records in slots shared by two maps, a key
 * and a message id each taken with one putIfAbsent) writes batches of intents and outcomes one by
 * one, the JDBC ledger in statements per batch: both answer every call of the same random sequence
 * alike, batches that name one key twice, one message id under two keys or tenants, and RETRYING
 * records taken again included.
 */
class LedgerRb4BatchDifferentialTest {
  private static final TestDatabase DB = TestDatabase.h2(LedgerRb4BatchDifferentialTest.class);
  private static final TestDatabase PG = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"t1", "t2"};
  private static final DeliveryStatus[] STATUSES = DeliveryStatus.values();

  /**
   * Keys a message may hold, among them texts PostgreSQL's array text must quote or escape (rb7:
   * findAll there sends the keys as one array) and the longest.
   */
  private static final String[] KEYS = {
    "k0",
    "k1",
    "k2",
    "k3",
    "k?",
    "NULL",
    "a\"b",
    "a\\b",
    "a,b",
    "{a}",
    " k0",
    "k0 ",
    "\uD83D\uDE00",
    "x".repeat(200)
  };

  /** Keys no message may hold, each like one above: read with them, never written. */
  private static final String[] UNSTORABLE = {"k\uD800", "k0\u0000", "x".repeat(201), " "};

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void bothLedgersAnswerEveryBatchOfARandomSequenceAlike(long seed) {
    sequence(DB, seed);
  }

  /** The same sequences on PostgreSQL, where findAll reads the keys as one array (rb7). */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void onPostgresqlToo(long seed) {
    sequence(PG, seed);
  }

  private static void sequence(TestDatabase db, long seed) {
    Rb4Differential.run(
        db,
        seed,
        InMemoryDeliveryLedger.of(),
        () -> JdbcDeliveryLedger.of(db.dataSource()),
        300,
        (both, r, step) -> {
          Instant at = T0.plusSeconds(step);
          switch (r.nextInt(7)) {
            case 0, 1 -> {
              List<Message> batch = new ArrayList<>();
              for (int i = 1 + r.nextInt(4); i > 0; i--) {
                batch.add(message(r));
              }
              both.check(
                  "recordIntents "
                      + batch.stream()
                          .map(m -> m.tenant() + "/" + m.id() + "/" + m.idempotencyKey())
                          .toList(),
                  l -> l.recordIntents(batch, at));
            }
            case 2, 3 -> {
              List<OutcomeMark> marks = new ArrayList<>();
              for (int i = 1 + r.nextInt(4); i > 0; i--) {
                DeliveryStatus s =
                    r.nextBoolean()
                        ? DeliveryStatus.RETRYING
                        : STATUSES[r.nextInt(STATUSES.length)];
                marks.add(
                    new OutcomeMark(
                        TenantId.of(pick(r, TENANTS)),
                        pick(r, KEYS),
                        s,
                        Optional.of("p" + r.nextInt(3)),
                        at));
              }
              both.check("markOutcomes " + marks, l -> l.markOutcomes(marks));
            }
            case 4 -> {
              TenantId t = TenantId.of(pick(r, TENANTS));
              String key = r.nextInt(8) == 0 ? pick(r, UNSTORABLE) : pick(r, KEYS);
              MessageId id = MessageId.of("m" + r.nextInt(6));
              both.check(
                  "find " + t + " " + key + " / " + id,
                  l -> List.of(l.find(t, key), l.findByMessage(id)));
            }
            case 5 -> {
              TenantId t = TenantId.of(pick(r, TENANTS));
              List<String> keys = new ArrayList<>();
              for (int i = r.nextInt(7); i > 0; i--) { // none, one or several, now and then twice
                keys.add(r.nextInt(6) == 0 ? pick(r, UNSTORABLE) : pick(r, KEYS));
              }
              if (r.nextInt(10) == 0) { // beyond H2's chunk, PostgreSQL's one array
                for (int i = 0; i < 150; i++) {
                  keys.add("absent-" + i);
                }
              }
              both.check("findAll " + t + " " + keys, l -> l.findAll(t, keys));
            }
            default -> {
              TenantId t = TenantId.of(pick(r, TENANTS));
              ContactId c = ContactId.of(pick(r, "c1", "c2"));
              if (r.nextInt(4) == 0) {
                both.check("eraseTenant " + t, l -> l.eraseTenant(t));
              } else {
                both.check("eraseContact " + t + " " + c, l -> l.eraseContact(t, c));
              }
            }
          }
        });
  }

  private static Message message(Random r) {
    return DeliveryLedgerContract.messageOf(
        pick(r, TENANTS),
        pick(r, "a1", "a2"),
        pick(r, "c1", "c2"),
        "m" + r.nextInt(6),
        pick(r, KEYS));
  }
}
