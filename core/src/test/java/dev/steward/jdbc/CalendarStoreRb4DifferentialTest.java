package dev.steward.jdbc;

import static dev.steward.jdbc.Rb4Differential.pick;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarEntry.Status;
import dev.steward.calendar.CalendarEntry.Type;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile review (rb4): the rewritten in-memory calendar store (a plan's seq beside its entry, a
 * plan's cancel kept as a mark until the entry is read) and the JDBC one on H2 answer every call of
 * the same random sequence alike: plans, cancels and erasures of plans with seqs that go back and
 * forth, plain and guarded writes over the same ids, complaints, reads by account and contact, and
 * erasures of contacts and tenants.
 */
class CalendarStoreRb4DifferentialTest {
  private static final TestDatabase H2 = TestDatabase.h2(CalendarStoreRb4DifferentialTest.class);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"t1", "t2"};
  private static final String[] ACCOUNTS = {"a1", "a2"};
  private static final String[] CONTACTS = {"c1", "c2", ""};
  private static final String[] IDS = {
    // rb5: a text PostgreSQL's array parameters (the batch write's unnest) must quote and escape
    "e0", "e1", "e2", "{NULL, \"a\\b\"} \uD83D\uDE00", "x".repeat(StoreLimits.MAX_ID_LENGTH)
  };

  static Stream<Arguments> databases() {
    return Rb4Differential.seedsOnH2AndPostgres(H2);
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("databases")
  void bothStoresAnswerEveryCallOfARandomSequenceAlike(String name, TestDatabase db, long seed) {
    CalendarStore model = InMemoryCalendarStore.of();
    Rb4Differential.run(
        db,
        seed,
        model,
        () -> JdbcCalendarStore.of(db.dataSource()),
        300,
        (both, r, step) -> {
          TenantId tenant = TenantId.of(pick(r, TENANTS));
          String id = pick(r, IDS);
          long seq = r.nextInt(6);
          switch (r.nextInt(14)) {
            case 0, 1, 2 -> {
              CalendarEntry e = planned(r, tenant, id);
              both.check("putPlanned " + e + " " + seq, s -> s.putPlanned(e, seq));
            }
            case 3, 4 ->
                both.check(
                    "cancelPlanned " + tenant + " " + id + " " + seq,
                    s -> s.cancelPlanned(tenant, id, seq));
            case 5 -> {
              // the entry as read, or as planned, erased as the plan of seq wrote it
              CalendarEntry e =
                  r.nextBoolean() ? model.find(tenant, id).orElse(null) : planned(r, tenant, id);
              if (e != null && e.status() == Status.SCHEDULED && e.type() == Type.COMMUNICATION) {
                both.check("erasePlanned " + e + " " + seq, s -> s.erasePlanned(e, seq));
              }
            }
            case 6 -> {
              CalendarEntry e = entry(r, tenant, id);
              both.check(
                  "put " + e,
                  s -> {
                    s.put(e);
                    return true;
                  });
            }
            case 7 -> {
              CalendarEntry e = entry(r, tenant, id);
              both.check("putUnlessSent " + e, s -> s.putUnlessSent(e));
            }
            case 8 -> {
              CalendarEntry e = entry(r, tenant, id);
              both.check("putIfScheduled " + e, s -> s.putIfScheduled(e));
            }
            case 9 -> {
              List<CalendarEntry> es = List.of(entry(r, tenant, id), entry(r, tenant, "e9"));
              both.check("putAllUnlessSent " + es, s -> s.putAllUnlessSent(es));
            }
            case 10, 11 -> {
              both.check("find " + tenant + " " + id, s -> s.find(tenant, id));
              AccountId a = AccountId.of(pick(r, ACCOUNTS));
              Instant from = T0.plusSeconds(60L * (r.nextInt(20) - 10));
              Instant to = from.plusSeconds(60L * r.nextInt(30));
              both.check(
                  "forAccount " + tenant + " " + a + " " + from + " " + to,
                  s -> s.forAccount(tenant, a, from, to));
              ContactId c = ContactId.of(pick(r, "c1", "c2"));
              both.check(
                  "forContact everything " + tenant + " " + c,
                  s -> s.forContact(tenant, c, StoreLimits.MIN_INSTANT, StoreLimits.MAX_INSTANT));
              both.check(
                  "forAccount beyond the storable range " + tenant + " " + a,
                  s -> s.forAccount(tenant, a, Instant.MIN, Instant.MAX));
            }
            case 12 -> {
              ContactId c = ContactId.of(pick(r, "c1", "c2"));
              both.check(
                  "eraseEntry " + tenant + " " + c + " " + id, s -> s.eraseEntry(tenant, c, id));
            }
            default -> {
              if (r.nextInt(3) == 0) {
                both.check("eraseTenant " + tenant, s -> s.eraseTenant(tenant));
              } else {
                ContactId c = ContactId.of(pick(r, "c1", "c2"));
                both.check("eraseContact " + tenant + " " + c, s -> s.eraseContact(tenant, c));
              }
            }
          }
        });
  }

  /** An entry a plan writes: a SCHEDULED communication. */
  private static CalendarEntry planned(Random r, TenantId tenant, String id) {
    return entry(r, tenant, id, Type.COMMUNICATION, Status.SCHEDULED);
  }

  /** Any entry: mostly communications in any status, now and then a complaint. */
  private static CalendarEntry entry(Random r, TenantId tenant, String id) {
    Type type = r.nextInt(8) == 0 ? Type.COMPLAINT : Type.COMMUNICATION;
    return entry(r, tenant, id, type, Status.values()[r.nextInt(Status.values().length)]);
  }

  private static CalendarEntry entry(
      Random r, TenantId tenant, String id, Type type, Status status) {
    String contact = pick(r, CONTACTS);
    Instant at =
        switch (r.nextInt(15)) {
          case 0 -> StoreLimits.MIN_INSTANT;
          case 1 -> StoreLimits.MAX_INSTANT;
          default -> T0.plusSeconds(60L * (r.nextInt(20) - 10));
        };
    boolean communication = type == Type.COMMUNICATION;
    return CalendarEntry.of(
        tenant,
        id,
        type,
        status,
        AccountId.of(pick(r, ACCOUNTS)),
        contact.isEmpty() ? null : ContactId.of(contact),
        communication ? pick(r, "cs", "marketing") : null,
        communication ? MessageKind.EDUCATIONAL : null,
        communication ? "tips" : null,
        communication ? Channel.EMAIL : null,
        r.nextInt(4) == 0 ? "spring" : null,
        at);
  }
}
