package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerRetention;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InvalidLimiterArgumentException;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.LedgerEntry;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Focused checks of {@link JdbcCapLedgerStore}, run on H2 and PostgreSQL, until the shared
 * CapLedgerStore contract suite covers it.
 */
abstract class JdbcCapLedgerStoreChecks {
  private static final SubjectKey ADA = SubjectKey.of(TenantId.of("t1"), "c:ada");
  private static final SubjectKey ACME = SubjectKey.of(TenantId.of("t1"), "a:acme");

  protected abstract TestDatabase db();

  private CapLedgerStore store;

  @BeforeEach
  void createStore() {
    db().clear();
    store = JdbcCapLedgerStore.of(db().dataSource());
  }

  private static LedgerEntry send(long epochSecond, String label) {
    return new LedgerEntry(
        LedgerEntry.Type.SEND,
        epochSecond,
        MessageKind.PROMOTIONAL,
        Channel.EMAIL,
        label,
        "marketing");
  }

  private static LedgerEntry activity(long epochSecond, String name) {
    return new LedgerEntry(LedgerEntry.Type.ACTIVITY, epochSecond, null, null, name, null);
  }

  /** Appends one send to every subject's log: a counter encoded as entries. */
  private static LedgerChange<Integer> appendOne(List<SendLog> logs, long second) {
    List<SendLog> next = new ArrayList<>();
    for (SendLog log : logs) {
      next.add(log.with(send(second, "offers")));
    }
    return LedgerChange.write(logs.size(), next);
  }

  @Test
  void missingLogsReadAsEmptyInTheOrderAsked() {
    assertThat(store.read(List.of(ADA, ACME))).containsExactly(SendLog.empty(), SendLog.empty());
    assertThat(store.read(List.of())).isEmpty();
  }

  @Test
  void anUpdateWritesTheReturnedLogsAndReturnsItsResult() {
    SendLog adaLog = SendLog.of(List.of(send(100, "offers"), send(50, "news")));
    SendLog acmeLog = SendLog.of(List.of(activity(7, "renewal-signed")));

    String result =
        store.update(
            List.of(ADA, ACME),
            logs -> {
              assertThat(logs).containsExactly(SendLog.empty(), SendLog.empty());
              return LedgerChange.write("done", List.of(adaLog, acmeLog));
            });

    assertThat(result).isEqualTo("done");
    assertThat(store.read(List.of(ACME, ADA))).containsExactly(acmeLog, adaLog);
    assertThat(JdbcCapLedgerStore.of(db().dataSource()).read(List.of(ADA))).containsExactly(adaLog);
    SendLog seen = store.update(List.of(ADA), logs -> LedgerChange.unchanged(logs.get(0)));
    assertThat(seen).isEqualTo(adaLog);
  }

  @Test
  void anUnchangedUpdateLeavesNoRowBehind() {
    Integer result = store.update(List.of(ADA), logs -> LedgerChange.unchanged(42));
    assertThat(result).isEqualTo(42);

    assertThat(store.erase(ADA)).isFalse();
    assertThat(store.read(List.of(ADA))).containsExactly(SendLog.empty());
  }

  @Test
  void aChangeThatThrowsWritesNothing() {
    store.update(List.of(ADA), logs -> appendOne(logs, 1));

    assertThatThrownBy(
            () ->
                store.update(
                    List.of(ADA, ACME),
                    logs -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.read(List.of(ADA, ACME)))
        .containsExactly(SendLog.of(List.of(send(1, "offers"))), SendLog.empty());
  }

  @Test
  void eraseDeletesOneSubjectsLog() {
    store.update(List.of(ADA, ACME), logs -> appendOne(logs, 1));

    assertThat(store.erase(ADA)).isTrue();
    assertThat(store.erase(ADA)).isFalse();
    assertThat(store.read(List.of(ADA, ACME)).get(0)).isEqualTo(SendLog.empty());
    assertThat(store.read(List.of(ACME)).get(0).size()).isEqualTo(1);
  }

  @Test
  void badInputFailsBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> store.update(List.of(ADA, ADA), logs -> appendOne(logs, 1)))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("c:ada appears twice");
    assertThatThrownBy(
            () ->
                store.update(
                    List.of(ADA, ACME), logs -> LedgerChange.write(0, List.of(SendLog.empty()))))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("1 logs for 2 subjects");
    assertThat(store.read(List.of(ADA, ACME))).containsOnly(SendLog.empty());
  }

  @Test
  void concurrentOverlappingUpdatesFromTwoInstancesLoseNothingAndNeverDeadlock() {
    List<SubjectKey> subjects =
        List.of(
            SubjectKey.of(TenantId.of("t1"), "c:1"),
            SubjectKey.of(TenantId.of("t1"), "c:2"),
            SubjectKey.of(TenantId.of("t1"), "a:1"),
            SubjectKey.of(TenantId.of("t1"), "a:2"));
    CapLedgerStore other = JdbcCapLedgerStore.of(db().dataSource());
    AtomicIntegerArray expected = new AtomicIntegerArray(subjects.size());
    int threads = 8;
    int updatesPerThread = 12;

    Concurrently.run(
        threads,
        t -> {
          Random random = new Random(31L * t + 7);
          for (int u = 0; u < updatesPerThread; u++) {
            // two or three subjects, in a shuffled order, so lock orders differ between threads
            List<Integer> picked = new ArrayList<>(List.of(0, 1, 2, 3));
            Collections.shuffle(picked, random);
            picked = picked.subList(0, 2 + random.nextInt(2));
            List<SubjectKey> keys = picked.stream().map(subjects::get).toList();
            CapLedgerStore s = (t + u) % 2 == 0 ? store : other;
            long second = t * 1000L + u;
            s.update(keys, logs -> appendOne(logs, second));
            picked.forEach(expected::incrementAndGet);
          }
          return null;
        });

    List<SendLog> logs = store.read(subjects);
    for (int i = 0; i < subjects.size(); i++) {
      assertThat(logs.get(i).size()).as(subjects.get(i).value()).isEqualTo(expected.get(i));
    }
    assertThat(expected.get(0) + expected.get(1) + expected.get(2) + expected.get(3))
        .isGreaterThanOrEqualTo(threads * updatesPerThread * 2);
  }

  // ---- retention

  private Long lastAt(SubjectKey key) throws SQLException {
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT last_at FROM steward_cap_ledger WHERE subject = ?")) {
      ps.setString(1, key.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row of " + key).isTrue();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  /** Writes a row as a library older than schema version 5 would: without touching last_at. */
  private void writeAsAnOlderLibrary(SubjectKey key, SendLog log, boolean insert)
      throws SQLException {
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                insert
                    ? "INSERT INTO steward_cap_ledger (send_log, subject, tenant_id) VALUES (?, ?, ?)"
                    : "UPDATE steward_cap_ledger SET send_log = ? WHERE subject = ? AND tenant_id = ?")) {
      // an older library leaves last_at as it is; rows of version 7 name their tenant
      ps.setBytes(1, log.toBytes());
      ps.setString(2, key.value());
      ps.setString(3, key.tenant().value());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private void write(CapLedgerStore s, SubjectKey key, SendLog log) {
    s.update(List.of(key), logs -> LedgerChange.write(null, List.of(log)));
  }

  @Test
  void everyWriteRecordsWhenTheLogWasLastActive() throws SQLException {
    write(store, ADA, SendLog.of(List.of(send(100, "offers"), send(250, "news"))));
    write(store, ACME, SendLog.of(List.of(send(10, "offers"), activity(2_000_000, "renewal"))));

    assertThat(lastAt(ADA)).isEqualTo(250_000_000_000L);
    assertThat(lastAt(ACME)).isEqualTo(2_000_000_000_000_000L);
    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(1_000_000), 10)).isEqualTo(1);
    assertThat(store.read(List.of(ADA, ACME)).get(1).size()).isEqualTo(2);
  }

  /**
   * Format-1 bytes as a library that kept journey admissions in the ledger stored them: an
   * admission (entry type 2) for {@code journeyId} at {@code admittedAt}, then {@code sends}.
   */
  private static byte[] storedWithAdmission(
      long admittedAt, String journeyId, LedgerEntry... sends) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeInt(1 + sends.length);
      out.writeByte(2);
      out.writeLong(admittedAt);
      out.writeByte(-1);
      out.writeByte(-1);
      out.writeUTF(journeyId);
      out.writeUTF("");
      for (LedgerEntry e : sends) {
        out.writeByte(e.type().ordinal());
        out.writeLong(e.epochSecond());
        out.writeByte(e.kind().ordinal());
        out.writeByte(e.channel().ordinal());
        out.writeUTF(e.label());
        out.writeUTF(e.team());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Inserts a row as that library wrote it: {@code last_at} never idle, whatever the sends. */
  private void insertNeverIdle(SubjectKey key, byte[] log) throws SQLException {
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO steward_cap_ledger (send_log, subject, tenant_id, last_at)"
                    + " VALUES (?, ?, ?, ?)")) {
      ps.setBytes(1, log);
      ps.setString(2, key.value());
      ps.setString(3, key.tenant().value());
      ps.setLong(4, Long.MAX_VALUE);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private byte[] storedLog(SubjectKey key) throws SQLException {
    try (Connection c = db().dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT send_log FROM steward_cap_ledger WHERE subject = ?")) {
      ps.setString(1, key.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("row of " + key).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  @Test
  void aStoredAdmissionIsDroppedSoItsLogIsJudgedByItsSendsAndTheNextWriteLeavesItOut()
      throws SQLException {
    SubjectKey oldSends = SubjectKey.of(TenantId.of("t1"), "c:old-sends");
    SubjectKey recentSend = SubjectKey.of(TenantId.of("t1"), "c:recent-send");
    SubjectKey admissionOnly = SubjectKey.of(TenantId.of("t1"), "c:admission-only");
    insertNeverIdle(
        oldSends, storedWithAdmission(7, "onboarding", send(100, "offers"), send(200, "news")));
    insertNeverIdle(recentSend, storedWithAdmission(7, "renewal", send(9_000, "offers")));
    insertNeverIdle(admissionOnly, storedWithAdmission(7, "advocacy"));

    assertThat(store.read(List.of(oldSends, recentSend, admissionOnly)))
        .containsExactly(
            SendLog.of(List.of(send(100, "offers"), send(200, "news"))),
            SendLog.of(List.of(send(9_000, "offers"))),
            SendLog.empty());
    // judged by their sends alone: two are idle, the third is given its send's last_at
    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(1_000), 10)).isEqualTo(2);
    assertThat(store.erase(oldSends)).isFalse();
    assertThat(store.erase(admissionOnly)).isFalse();
    assertThat(lastAt(recentSend)).isEqualTo(9_000_000_000_000L);
    assertThat(store.read(List.of(recentSend)))
        .containsExactly(SendLog.of(List.of(send(9_000, "offers"))));

    // the next write keeps the send and stores the log without the admission
    store.update(List.of(recentSend), logs -> appendOne(logs, 9_500));
    assertThat(storedLog(recentSend))
        .isEqualTo(SendLog.of(List.of(send(9_000, "offers"), send(9_500, "offers"))).toBytes());
    assertThat(lastAt(recentSend)).isEqualTo(9_500_000_000_000L);
    // and once its sends are old it goes like any other
    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(10_000), 10)).isEqualTo(1);
    assertThat(store.erase(recentSend)).isFalse();
  }

  @Test
  void retentionPurgesAStoredLogWithAnAdmissionOnceItsSendsAreOld() throws SQLException {
    Instant now = Instant.parse("2026-06-01T10:00:00Z");
    SettableClock clock = SettableClock.of(now);
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(store, clock)
            .policy(
                CapPolicy.builder()
                    .cap(Cap.perContact(3, Window.rolling(Duration.ofDays(7))))
                    .build())
            .build();
    CapLedgerRetention retention =
        CapLedgerRetention.builder(store, clock).limiter(limiter).build();
    assertThat(retention.retention()).isEqualTo(Duration.ofDays(8));
    long day = Duration.ofDays(1).getSeconds();
    long t = now.getEpochSecond();
    SubjectKey old = SubjectKey.of(TenantId.of("t1"), "c:admitted-long-ago");
    SubjectKey recent = SubjectKey.of(TenantId.of("t1"), "c:admitted-and-mailed");
    insertNeverIdle(old, storedWithAdmission(t - 400 * day, "renewal", send(t - 30 * day, "x")));
    insertNeverIdle(recent, storedWithAdmission(t - 400 * day, "renewal", send(t - day, "x")));

    assertThat(retention.purge(100)).isEqualTo(1);

    assertThat(store.erase(old)).isFalse();
    assertThat(store.read(List.of(recent)))
        .containsExactly(SendLog.of(List.of(send(t - day, "x"))));
    clock.set(now.plus(Duration.ofDays(8)));
    assertThat(retention.purge(100)).isEqualTo(1);
    assertThat(store.erase(recent)).isFalse();
  }

  @Test
  void aLogWrittenBetweenThePurgesReadAndItsDeleteIsKept() {
    HookedDataSource hooked = new HookedDataSource(db().dataSource());
    CapLedgerStore purging = JdbcCapLedgerStore.of(hooked);
    CapLedgerStore other = JdbcCapLedgerStore.of(db().dataSource());
    write(store, ADA, SendLog.of(List.of(send(100, "offers"))));
    write(store, ACME, SendLog.of(List.of(send(100, "offers"))));
    // another instance records a send for ada after the purge judged her log idle
    hooked.before(
        "DELETE FROM steward_cap_ledger",
        () ->
            other.update(
                List.of(ADA),
                logs -> LedgerChange.write(null, List.of(logs.get(0).with(send(5_000, "news"))))));

    int purged = purging.purgeIdleSince(Instant.ofEpochSecond(1_000), 10);

    assertThat(purged).isEqualTo(1);
    assertThat(store.read(List.of(ADA, ACME)))
        .containsExactly(
            SendLog.of(List.of(send(100, "offers"), send(5_000, "news"))), SendLog.empty());
  }

  @Test
  void rowsOfAnOlderSchemaAreReadOnceThenDeletedOrGivenTheirLastAt() throws SQLException {
    SubjectKey idle = SubjectKey.of(TenantId.of("t1"), "c:idle");
    SubjectKey active = SubjectKey.of(TenantId.of("t1"), "c:active");
    SubjectKey activity = SubjectKey.of(TenantId.of("t1"), "c:activity");
    writeAsAnOlderLibrary(idle, SendLog.of(List.of(send(100, "offers"))), true);
    writeAsAnOlderLibrary(active, SendLog.of(List.of(send(100, "a"), send(9_000, "b"))), true);
    writeAsAnOlderLibrary(activity, SendLog.of(List.of(activity(9_500, "renewal-signed"))), true);
    assertThat(lastAt(active)).isNull();

    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(1_000), 10)).isEqualTo(1);

    assertThat(store.read(List.of(idle)).get(0).isEmpty()).isTrue();
    assertThat(lastAt(active)).isEqualTo(9_000_000_000_000L);
    assertThat(lastAt(activity)).isEqualTo(9_500_000_000_000L);
    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(10_000), 10)).isEqualTo(2);
    assertThat(store.read(List.of(active, activity)))
        .containsExactly(SendLog.empty(), SendLog.empty());
  }

  @Test
  void manyRowsOfAnOlderSchemaAreWorkedThroughInBatchesOfMax() throws SQLException {
    for (int i = 0; i < 25; i++) {
      // every fifth is still active; the rest are idle
      long newest = i % 5 == 0 ? 9_000 : 100;
      writeAsAnOlderLibrary(
          SubjectKey.of(TenantId.of("t1"), "c:old-" + i),
          SendLog.of(List.of(send(newest, "offers"))),
          true);
    }

    int total = 0;
    int calls = 0;
    for (int n = 4; n == 4; calls++) {
      n = store.purgeIdleSince(Instant.ofEpochSecond(1_000), 4);
      assertThat(n).isBetween(0, 4);
      total += n;
    }

    assertThat(total).isEqualTo(20);
    assertThat(calls).isEqualTo(6); // five full batches, then one that finds none left
  }

  @Test
  void aLogRewrittenByAnOlderLibraryIsJudgedByWhatItHoldsNotByAStaleLastAt() throws SQLException {
    write(store, ADA, SendLog.of(List.of(send(100, "offers"))));
    // an instance of an older library records a send and leaves last_at as it was
    writeAsAnOlderLibrary(
        ADA, SendLog.of(List.of(send(100, "offers"), send(5_000, "news"))), false);
    assertThat(lastAt(ADA)).isEqualTo(100_000_000_000L);

    assertThat(store.purgeIdleSince(Instant.ofEpochSecond(1_000), 10)).isZero();

    assertThat(store.read(List.of(ADA)).get(0).size()).isEqualTo(2);
    assertThat(lastAt(ADA)).isEqualTo(5_000_000_000_000L);
  }
}
