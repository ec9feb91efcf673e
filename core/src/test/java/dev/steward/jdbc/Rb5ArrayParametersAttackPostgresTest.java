package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Lease;
import dev.steward.schedule.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb5) of pg5: on PostgreSQL the lease renewal and the calendar's guarded batch
 * write pass their rows as one array per column, which the driver sends as array text. Every text a
 * caller may store (quotes, backslashes, commas, braces, the word NULL, edge whitespace, non-BMP
 * characters, the longest ids) must arrive as it was, at 1, a chunk and a chunk and one rows.
 */
class Rb5ArrayParametersAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** Texts the array text encoding must quote or escape; each a valid id or name. */
  static final List<String> ODD =
      List.of(
          "NULL",
          "null",
          "a\"b",
          "a\\b",
          "\\\"",
          "a,b",
          "{a}",
          "}{,\"\\",
          " lead",
          "trail ",
          " ",
          "a b",
          "'",
          "$1 ?",
          "\uD83D\uDE00x",
          "\uD83D\uDE00".repeat(100),
          "x".repeat(200));

  private static String odd(int i) {
    String o = ODD.get(i % ODD.size());
    String n = String.valueOf(i);
    // distinct ids that still hold the odd text, within the 200 characters an id may have, cut
    // between a surrogate pair's halves never
    int cut = Math.min(o.length(), 200 - n.length());
    if (cut < o.length() && Character.isLowSurrogate(o.charAt(cut))) {
      cut--;
    }
    return o.substring(0, cut) + n;
  }

  @ParameterizedTest(name = "{0} entries")
  @ValueSource(ints = {1, 17, JdbcCalendarStore.RECORD_CHUNK, JdbcCalendarStore.RECORD_CHUNK + 1})
  void theCalendarsBatchWriteStoresEveryTextAsGiven(int n) {
    DB.clear();
    CalendarStore model = InMemoryCalendarStore.of();
    CalendarStore pg = JdbcCalendarStore.of(DB.dataSource());
    TenantId tenant = TenantId.of("t1");
    List<CalendarEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean nulls = i % 3 == 0; // a complaint: the columns a communication needs are null
      entries.add(
          CalendarEntry.of(
              tenant,
              odd(i),
              nulls ? Type.COMPLAINT : Type.COMMUNICATION,
              Status.SCHEDULED,
              AccountId.of(odd(i + 1)),
              nulls ? null : ContactId.of(odd(i + 2)),
              nulls ? null : odd(i + 3),
              nulls ? null : MessageKind.EDUCATIONAL,
              nulls ? null : "tips",
              nulls ? null : Channel.EMAIL,
              nulls ? null : odd(i + 5),
              at(i)));
    }

    assertThat(pg.putAllUnlessSent(entries)).isEqualTo(model.putAllUnlessSent(entries));

    for (CalendarEntry e : entries) {
      assertThat(pg.find(tenant, e.id())).as(e.id()).isEqualTo(model.find(tenant, e.id()));
    }
  }

  /** Mostly distinct instants, now and then either end of the storable range. */
  private static Instant at(int i) {
    return switch (i % 7) {
      case 1 -> StoreLimits.MIN_INSTANT;
      case 2 -> StoreLimits.MAX_INSTANT;
      default -> T0.plusNanos(i);
    };
  }

  @ParameterizedTest(name = "{0} leases")
  @ValueSource(ints = {1, 17, JdbcWorkStore.RENEW_CHUNK, JdbcWorkStore.RENEW_CHUNK + 1})
  void aRenewalFindsEveryLeaseWhateverItsTexts(int n) {
    DB.clear();
    JdbcWorkStore store = JdbcWorkStore.of(DB.dataSource());
    for (int i = 0; i < n; i++) {
      store.schedule(
          WorkItem.builder(TenantId.of("t1"), "k.a", odd(i)).dueAt(T0).build(), IfExists.KEEP);
    }
    List<Lease> held = new ArrayList<>();
    for (int i = 0; held.size() < n; i++) {
      for (ClaimedWork w :
          store.claim(ClaimRequest.of(T0, Math.min(50, n), odd(i), Duration.ofMinutes(5)))) {
        held.add(w.lease());
      }
    }

    assertThat(store.renew(held, Duration.ofMinutes(5))).containsExactlyInAnyOrderElementsOf(held);
  }
}
