package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb3): calendar entries at the edges of the storable instant range, written by
 * pgstep's set-based record ({@link CalendarStore#putAllUnlessSent}) and its replacement of
 * SCHEDULED entries ({@link CalendarStore#putIfScheduled}, kept in a unit of work and written
 * before it commits), read by account and contact over bounds at, inside and beyond the range: the
 * JDBC store answers as the in-memory one, on H2 and on PostgreSQL.
 */
class CalendarRb3InstantEdgesTest {
  private static final TenantId T = TenantId.of("rb3");
  private static final AccountId ACME = AccountId.of("acme");
  private static final ContactId ADA = ContactId.of("ada");
  private static final Instant MIN = StoreLimits.MIN_INSTANT;
  private static final Instant MAX = StoreLimits.MAX_INSTANT;
  private static final Duration NS = Duration.ofNanos(1);
  private static final List<Instant> AT =
      List.of(MIN, MIN.plus(NS), Instant.EPOCH, MAX.minus(NS), MAX);
  private static final List<Instant> BOUNDS =
      List.of(Instant.MIN, MIN.minus(NS), MIN, MIN.plus(NS), MAX.minus(NS), MAX, MAX.plus(NS));

  private static CalendarEntry entry(int i, CalendarEntry.Status status, Instant at) {
    return CalendarEntry.of(
        T,
        "m-" + i,
        CalendarEntry.Type.COMMUNICATION,
        status,
        ACME,
        ADA,
        "csm",
        MessageKind.EDUCATIONAL,
        "news",
        Channel.EMAIL,
        null,
        at);
  }

  /** Records SCHEDULED at each edge, moves each to SENT at the next edge, and reads every range. */
  private static List<Object> drive(CalendarStore store, Function<Runnable, Object> unit) {
    List<CalendarEntry> scheduled = new ArrayList<>();
    for (int i = 0; i < AT.size(); i++) {
      scheduled.add(entry(i, CalendarEntry.Status.SCHEDULED, AT.get(i)));
    }
    List<Object> seen = new ArrayList<>();
    seen.add(store.putAllUnlessSent(scheduled));
    unit.apply(
        () -> {
          for (int i = 0; i < AT.size(); i += 2) {
            store.putIfScheduled(entry(i, CalendarEntry.Status.SENT, AT.get(AT.size() - 1 - i)));
          }
        });
    for (Instant from : BOUNDS) {
      for (Instant to : BOUNDS) {
        seen.add(List.of(from, to, store.forContact(T, ADA, from, to)));
        seen.add(List.of(from, to, store.forAccount(T, ACME, from, to)));
      }
    }
    return seen;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void entriesAtTheEdgesOfTheStorableRangeAreWrittenAndReadAsInMemory(boolean postgres) {
    TestDatabase db =
        postgres ? TestDatabase.postgres() : TestDatabase.h2(CalendarRb3InstantEdgesTest.class);
    db.clear();
    List<Object> expected =
        drive(
            InMemoryCalendarStore.of(),
            w -> {
              w.run();
              return null;
            });
    javax.sql.DataSource ds = db.dataSource(); // the unit joins the store's own data source
    StatementCountingDataSource counted = new StatementCountingDataSource(ds);
    List<Object> actual =
        drive(
            JdbcCalendarStore.of(counted),
            w ->
                UnitOfWork.run(
                    counted,
                    () -> {
                      w.run();
                      return null;
                    }));

    assertThat(actual).isEqualTo(expected);
    // the replacements were kept in the unit and written set-based, not one by one
    assertThat(
            counted.statements.stream()
                .filter(q -> q.startsWith("UPDATE steward_calendar_entry SET entry_type = CASE")))
        .hasSize(1);
    assertThat(expected.toString()).contains("SENT").contains(MAX.toString());
  }
}
