package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryLedgerContract;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb3): the rewritten in-memory delivery ledger (status counts, per-tenant keys,
 * earliest-unsettled tracking) and the JDBC one on H2 answer every call of the same random sequence
 * alike: intents, outcomes, reads, sweeps, purges and erasures over a few tenants, accounts,
 * contacts, message ids and keys that collide on purpose.
 */
class LedgerRb3DifferentialTest {
  private static final TestDatabase DB = TestDatabase.h2(LedgerRb3DifferentialTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"t1", "t2"};
  private static final String[] ACCOUNTS = {"a1", "a2"};
  private static final String[] CONTACTS = {"c1", "c2"};
  private static final DeliveryStatus[] STATUSES = DeliveryStatus.values();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void bothLedgersAnswerEveryCallOfARandomSequenceAlike(long seed) {
    DB.clear();
    DeliveryLedger model = InMemoryDeliveryLedger.of();
    DeliveryLedger jdbc = JdbcDeliveryLedger.of(DB.dataSource());
    Random r = new Random(seed);
    List<String> trail = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      TenantId tenant = TenantId.of(pick(r, TENANTS));
      // time goes on, each call a little before or after the last
      Instant at = T0.plusSeconds(step + r.nextInt(40) - 20);
      int max = r.nextInt(4);
      String call;
      Function<DeliveryLedger, Object> op;
      switch (r.nextInt(11)) {
        case 0, 1, 2 -> {
          Message m =
              message(
                  tenant,
                  pick(r, ACCOUNTS),
                  pick(r, CONTACTS),
                  "m" + r.nextInt(8),
                  "k" + r.nextInt(5));
          call = "recordIntent " + tenant + " " + m.id() + " " + m.idempotencyKey() + " " + at;
          op = l -> l.recordIntent(m, at);
        }
        case 3, 4, 5 -> {
          String key = "k" + r.nextInt(5);
          // mostly settling outcomes, so that purges find records
          DeliveryStatus s =
              r.nextBoolean()
                  ? (r.nextBoolean() ? DeliveryStatus.SENT : DeliveryStatus.FAILED)
                  : STATUSES[r.nextInt(STATUSES.length)];
          call = "markOutcome " + tenant + " " + key + " " + s + " " + at;
          op = l -> l.markOutcome(tenant, key, s, "p-" + key, at);
        }
        case 6 -> {
          String key = "k" + r.nextInt(5);
          MessageId id = MessageId.of("m" + r.nextInt(8));
          call = "find " + tenant + " " + key + " / " + id;
          op = l -> List.of(l.find(tenant, key), l.findByMessage(id));
        }
        case 7 -> {
          DeliveryStatus s = STATUSES[r.nextInt(STATUSES.length)];
          call = "sweeps " + s + " " + at + " " + max;
          op = l -> List.of(l.unsettled(at, max), l.withStatus(s, at, max));
        }
        case 8 -> {
          AccountId a = AccountId.of(pick(r, ACCOUNTS));
          Instant to = at.plusSeconds(r.nextInt(30));
          call = "forAccount " + tenant + " " + a + " " + at + " " + to + " " + max;
          op = l -> l.forAccount(tenant, a, at, to, max);
        }
        case 9 -> {
          call = "purgeSettledBefore " + at + " " + max;
          op = l -> l.purgeSettledBefore(at, max);
        }
        default -> {
          if (r.nextInt(3) > 0) {
            call = "find nothing";
            op = l -> l.find(tenant, "none");
          } else if (r.nextInt(4) == 0) {
            call = "eraseTenant " + tenant;
            op = l -> l.eraseTenant(tenant);
          } else {
            ContactId c = ContactId.of(pick(r, CONTACTS));
            call = "eraseContact " + tenant + " " + c;
            op = l -> l.eraseContact(tenant, c);
          }
        }
      }
      trail.add(call);
      Object expected = answer(op, model);
      Object actual = answer(op, jdbc);
      assertThat(actual)
          .as("seed %d, call %d: %s\nafter %s", seed, step, call, String.join("\n", trail))
          .isEqualTo(expected);
    }
  }

  /** The call's answer, or the type of what it threw. */
  private static Object answer(Function<DeliveryLedger, Object> op, DeliveryLedger ledger) {
    try {
      return op.apply(ledger);
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static Message message(
      TenantId tenant, String account, String contact, String id, String key) {
    return DeliveryLedgerContract.messageOf(tenant.value(), account, contact, id, key);
  }
}
