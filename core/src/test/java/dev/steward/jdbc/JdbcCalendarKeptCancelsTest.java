package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Inside a unit of work, {@link JdbcCalendarStore#cancelPlanned} and {@link
 * JdbcCalendarStore#putIfScheduled} are kept and written set-based before the unit commits: one
 * statement for 10 as for 100, each row guarded by its own seq or status, and any other call of the
 * store in the unit sees the kept writes made first.
 */
class JdbcCalendarKeptCancelsTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcCalendarKeptCancelsTest.class);
  private static final TenantId T = TenantId.of("t1");
  private static final Instant AT = Instant.parse("2026-11-28T04:00:00Z");

  private static CalendarEntry entry(String id, CalendarEntry.Status status) {
    return CalendarEntry.of(
        T,
        id,
        CalendarEntry.Type.COMMUNICATION,
        status,
        AccountId.of("acme"),
        ContactId.of("ada"),
        "csm",
        MessageKind.RELATIONSHIP,
        "renewal",
        Channel.EMAIL,
        "renewal/report",
        AT);
  }

  abstract static class Checks {
    abstract TestDatabase db();

    private StatementCountingDataSource counted;
    private JdbcCalendarStore store;

    @BeforeEach
    void fresh() {
      db().clear();
      counted = new StatementCountingDataSource(db().dataSource());
      store = new JdbcCalendarStore(new Jdbc(counted, JdbcRetryPolicy.none()));
    }

    @Test
    void tenOrAHundredCancelsInAUnitAreOneStatementAndEachKeepsItsOwnGuard() {
      for (int n : new int[] {10, 100}) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String id = String.format(Locale.ROOT, "journey:n%d-%03d", n, i);
          ids.add(id);
          // every third was planned by a later plan (seq 9) than the cancel's (seq 5)
          assertThat(
                  store.putPlanned(entry(id, CalendarEntry.Status.SCHEDULED), i % 3 == 0 ? 9 : 4))
              .isTrue();
        }
        String sent = "journey:n" + n + "-sent";
        store.putUnlessSent(entry(sent, CalendarEntry.Status.SENT));

        counted.reset();
        UnitOfWork.run(
            counted,
            () -> {
              for (String id : ids) {
                store.cancelPlanned(T, id, 5);
              }
              store.cancelPlanned(T, sent, 5);
              return null;
            });

        assertThat(counted.executions.get()).as("%d cancels", n).isEqualTo(1);
        for (int i = 0; i < n; i++) {
          assertThat(store.find(T, ids.get(i)).orElseThrow().status())
              .as(ids.get(i))
              .isEqualTo(
                  i % 3 == 0 ? CalendarEntry.Status.SCHEDULED : CalendarEntry.Status.CANCELLED);
        }
        assertThat(store.find(T, sent).orElseThrow().status()).isEqualTo(CalendarEntry.Status.SENT);
        // the cancel wrote its seq: the older plan (4) no longer writes, the later one (9) does
        assertThat(store.putPlanned(entry(ids.get(1), CalendarEntry.Status.SCHEDULED), 4))
            .isFalse();
      }
    }

    @Test
    void aCallAfterAKeptCancelInTheUnitSeesItAndTheCancelsOfOneEntryRunInOrder() {
      store.putPlanned(entry("journey:a", CalendarEntry.Status.SCHEDULED), 1);
      store.putPlanned(entry("journey:b", CalendarEntry.Status.SCHEDULED), 1);
      List<CalendarEntry.Status> seen = new ArrayList<>();
      UnitOfWork.run(
          counted,
          () -> {
            store.cancelPlanned(T, "journey:a", 2);
            seen.add(store.find(T, "journey:a").orElseThrow().status());
            // the plan of seq 3 comes after the kept cancel of b (seq 2), so it stands
            store.cancelPlanned(T, "journey:b", 2);
            store.putPlanned(entry("journey:b", CalendarEntry.Status.SCHEDULED), 3);
            // a cancel at seq 3 of a, already cancelled at seq 2: the first kept is written first
            store.cancelPlanned(T, "journey:a", 3);
            store.cancelPlanned(T, "journey:a", 3);
            return null;
          });
      assertThat(seen).containsExactly(CalendarEntry.Status.CANCELLED);
      assertThat(store.find(T, "journey:b").orElseThrow().status())
          .isEqualTo(CalendarEntry.Status.SCHEDULED);
      assertThat(store.find(T, "journey:a").orElseThrow().status())
          .isEqualTo(CalendarEntry.Status.CANCELLED);
      // the first cancel stored its seq (2), the second found the entry cancelled and wrote
      // nothing, as alone: a plan of seq 1 is refused, one of seq 3 writes
      assertThat(store.putPlanned(entry("journey:a", CalendarEntry.Status.SCHEDULED), 1)).isFalse();
      assertThat(store.putPlanned(entry("journey:a", CalendarEntry.Status.SCHEDULED), 3)).isTrue();
    }

    private static CalendarEntry sentAt(String id, Instant at) {
      return CalendarEntry.of(
          T,
          id,
          CalendarEntry.Type.COMMUNICATION,
          CalendarEntry.Status.SENT,
          AccountId.of("acme"),
          ContactId.of("ada"),
          "marketing",
          MessageKind.EDUCATIONAL,
          "news",
          Channel.EMAIL,
          null,
          at);
    }

    @Test
    void tenOrAHundredReplacementsOfScheduledEntriesInAUnitAreOneStatementEachGuarded() {
      for (int n : new int[] {10, 100}) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String id = String.format(Locale.ROOT, "m-n%d-%03d", n, i);
          ids.add(id);
          // every third is SENT already, every third plus one cancelled, the rest SCHEDULED
          store.putPlanned(entry(id, CalendarEntry.Status.SCHEDULED), 4);
          if (i % 3 == 0) {
            store.putUnlessSent(entry(id, CalendarEntry.Status.SENT));
          } else if (i % 3 == 1) {
            store.cancelPlanned(T, id, 4);
          }
        }
        String absent = "m-n" + n + "-absent";

        counted.reset();
        List<Boolean> answers = new ArrayList<>();
        UnitOfWork.run(
            counted,
            () -> {
              for (String id : ids) {
                answers.add(store.putIfScheduled(sentAt(id, AT.plusSeconds(60))));
              }
              answers.add(store.putIfScheduled(sentAt(absent, AT)));
              return null;
            });

        assertThat(counted.statements).as("%d replacements", n).hasSize(1);
        assertThat(answers).as("known only at the commit").containsOnly(false);
        for (int i = 0; i < n; i++) {
          CalendarEntry now = store.find(T, ids.get(i)).orElseThrow();
          if (i % 3 == 0) {
            assertThat(now).as(ids.get(i)).isEqualTo(entry(ids.get(i), CalendarEntry.Status.SENT));
          } else if (i % 3 == 1) {
            assertThat(now.status()).as(ids.get(i)).isEqualTo(CalendarEntry.Status.CANCELLED);
          } else {
            assertThat(now).as(ids.get(i)).isEqualTo(sentAt(ids.get(i), AT.plusSeconds(60)));
          }
        }
        assertThat(store.find(T, absent)).isEmpty();
      }
    }

    @Test
    void aKeptReplacementIsWrittenBeforeAnyOtherCallAndWritesOfOneEntryRunInOrder() {
      store.putPlanned(entry("m-a", CalendarEntry.Status.SCHEDULED), 1);
      store.putPlanned(entry("m-b", CalendarEntry.Status.SCHEDULED), 1);
      store.putPlanned(entry("m-c", CalendarEntry.Status.SCHEDULED), 1);
      List<CalendarEntry> seen = new ArrayList<>();
      UnitOfWork.run(
          counted,
          () -> {
            store.putIfScheduled(sentAt("m-a", AT.plusSeconds(1)));
            seen.add(store.find(T, "m-a").orElseThrow());
            // a replacement then a cancel of b: the cancel finds it SENT and leaves it
            store.putIfScheduled(sentAt("m-b", AT.plusSeconds(2)));
            store.cancelPlanned(T, "m-b", 2);
            // a cancel then a replacement of c: the replacement finds it cancelled
            store.cancelPlanned(T, "m-c", 2);
            store.putIfScheduled(sentAt("m-c", AT.plusSeconds(3)));
            return null;
          });
      assertThat(seen).containsExactly(sentAt("m-a", AT.plusSeconds(1)));
      assertThat(store.find(T, "m-b")).contains(sentAt("m-b", AT.plusSeconds(2)));
      assertThat(store.find(T, "m-c").orElseThrow().status())
          .isEqualTo(CalendarEntry.Status.CANCELLED);
    }
  }

  @Nested
  class OnH2 extends Checks {
    @Override
    TestDatabase db() {
      return H2;
    }
  }

  @Nested
  class OnPostgres extends Checks {
    @Override
    TestDatabase db() {
      return TestDatabase.postgres();
    }
  }
}
