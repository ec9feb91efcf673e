package dev.steward.jdbc;

import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyAlertKind;
import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.StepCount;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JourneyAnalyticsStore} in the tables {@code steward_journey_mark}, {@code
 * steward_journey_tally} and {@code steward_journey_alert} (schema versions 22 and 23), shared by
 * several application instances. A fact's mark is inserted if absent and its counts raised in the
 * same transaction, so of two instances applying one event, one counts it. Each count is kept in
 * {@value #STRIPES} rows, one picked by the fact's subject and all summed when read, so the steps
 * of many enrolments at one step do not queue on one row's lock ({@code steward_journey_count},
 * where version 22 kept each count in one row, is read beside them).
 *
 * <p>Facts given to {@link #recordLater} inside a journey step's unit of work are kept in the unit
 * and written just before it commits: on PostgreSQL all their marks in one statement ({@code INSERT
 * ... ON CONFLICT DO NOTHING RETURNING} the keys it inserted) and the counts of those it inserted
 * in one more ({@code INSERT ... ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n}), each in a fixed
 * key order, so that two units never wait for each other's rows the other way round. A unit's
 * counts all go into one stripe it picks at random among {@value #UNIT_STRIPES}, so two units
 * committing at once seldom wait for each other at all. A fact kept twice in one unit is written
 * once. They share the unit's fate: a rolled-back unit drops them, and rerun records them again,
 * each alone.
 *
 * <p>A fact given to {@link #recordLater} outside a unit whose write fails (the database away
 * longer than the retries last) is kept, in this store's memory, and written again before the
 * store's next write outside a unit; its mark makes the replay count it exactly once, also when the
 * failed write was applied after all. The failure is still thrown to the caller. At most {@value
 * #MAX_FAILED_KEPT} facts are kept; a process that stops loses the ones it kept.
 */
public final class JdbcJourneyAnalyticsStore implements JourneyAnalyticsStore {
  private static final String MARK = "steward_journey_mark";
  private static final String COUNT = "steward_journey_count"; // version 22's, read and erased
  private static final String TALLY = "steward_journey_tally";

  /** How many rows each count is spread over by the facts recorded one at a time. */
  static final int STRIPES = 16;

  /**
   * How many rows each count is spread over by units of work: a unit writes all its counts into one
   * stripe it picks at random among these, so that concurrent units (a batch of steps each, on two
   * instances) seldom share a row, where a stripe per subject made every batch of many subjects
   * write every stripe, and every two units committing at once queue on each other's rows.
   */
  static final int UNIT_STRIPES = 64;

  private static final String ALERT = "steward_journey_alert";
  private static final String[] MARK_KEY = {"tenant_id", "subject", "metric"};
  private static final String[] MARK_COLUMNS = {
    "tenant_id", "subject", "metric", "journey_id", "version", "step_id", "at"
  };
  private static final String[] TALLY_KEY = {
    "tenant_id", "journey_id", "version", "step_id", "metric", "reason", "stripe"
  };
  private static final String[] TALLY_COLUMNS = {
    "tenant_id", "journey_id", "version", "step_id", "metric", "reason", "stripe", "n"
  };
  private static final String[] ALERT_KEY = {
    "tenant_id", "journey_id", "version", "step_id", "kind"
  };
  private static final String[] ALERT_COLUMNS = {
    "tenant_id", "journey_id", "version", "step_id", "kind", "opened_at"
  };

  /** The reason column of a metric's total. */
  private static final String TOTAL = "";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcJourneyAnalyticsStore.class);

  /** How many rows one statement of a unit's kept facts writes at most. */
  static final int KEPT_CHUNK = 1000;

  /** How many facts whose write failed are kept for a replay at most. */
  static final int MAX_FAILED_KEPT = 10_000;

  private final Jdbc jdbc;
  private final ConcurrentLinkedQueue<JourneyFact> failed = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failedKept = new AtomicInteger();

  JdbcJourneyAnalyticsStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over a data source whose schema {@link StewardSchema#bootstrap} has applied. */
  public static JdbcJourneyAnalyticsStore of(DataSource dataSource) {
    return new JdbcJourneyAnalyticsStore(new Jdbc(dataSource));
  }

  @Override
  public boolean record(JourneyFact fact) {
    InvalidJourneyException.requireNonNull(fact, "journey fact");
    replayFailed();
    return write(fact);
  }

  /** Writes a fact's mark and, if it is new, its counts, in one transaction (or in the unit). */
  private boolean write(JourneyFact fact) {
    JourneyStepRef s = fact.step();
    Object[] mark = {
      fact.tenant().value(),
      fact.subject(),
      fact.metric().name(),
      s.journey(),
      s.version(),
      s.step(),
      EpochNanos.of(fact.at(), "time of the fact")
    };
    // one transaction: a repeat after a lost commit finds the mark and counts nothing again
    return jdbc.inTransaction(
        "counting " + fact.metric() + " at " + s + " for tenant " + fact.tenant(),
        Jdbc.Repeat.SAFE,
        c -> {
          if (!jdbc.dialect().insertIfAbsent(c, MARK, MARK_KEY, MARK_COLUMNS, mark)) {
            return false;
          }
          increment(c, fact, TOTAL);
          if (fact.reason().isPresent()) {
            increment(c, fact, fact.reason().get());
          }
          return true;
        });
  }

  /**
   * As {@link #record}, without an answer: inside a unit of work over this store's data source (a
   * journey step's writes), kept in the unit and written with the unit's other facts just before it
   * commits; else recorded at once.
   */
  @Override
  public void recordLater(JourneyFact fact) {
    InvalidJourneyException.requireNonNull(fact, "journey fact");
    Optional<UnitOfWork> unit = UnitOfWork.joining(jdbc.dataSource());
    if (unit.isEmpty()) {
      try {
        record(fact);
      } catch (InvalidJourneyException never) {
        throw never; // a fact no store keeps: no replay would count it
      } catch (RuntimeException e) {
        keepFailed(fact);
        throw e;
      }
      return;
    }
    long at = EpochNanos.of(fact.at(), "time of the fact"); // refused now, before anything is kept
    jdbc.dialect(); // known before the commit, which must not open another connection
    unit.get().attach(this, Kept.class, Kept::new).add(fact, at);
  }

  /** Keeps a fact whose write failed, for the next write outside a unit to replay. */
  private void keepFailed(JourneyFact fact) {
    if (failedKept.incrementAndGet() > MAX_FAILED_KEPT) {
      failedKept.decrementAndGet();
      LOG.warn(
          "journey analytics: a {} fact at {} is not counted; {} failed facts wait for a replay"
              + " already",
          fact.metric(),
          fact.step(),
          MAX_FAILED_KEPT);
      return;
    }
    failed.add(fact);
    LOG.debug(
        "journey analytics: a {} fact at {} is kept for a replay", fact.metric(), fact.step());
  }

  /**
   * Writes the facts kept after a failed write, outside a unit only (a unit that rolled back would
   * drop what it replayed). Stops at the first that fails again, which is kept again.
   */
  private void replayFailed() {
    if (failedKept.get() == 0 || UnitOfWork.joining(jdbc.dataSource()).isPresent()) {
      return;
    }
    for (int n = failedKept.get(); n > 0; n--) {
      JourneyFact f = failed.poll();
      if (f == null) {
        return;
      }
      failedKept.decrementAndGet();
      try {
        write(f);
      } catch (InvalidJourneyException never) {
        LOG.warn("journey analytics: a kept {} fact at {} cannot be counted", f.metric(), f.step());
      } catch (RuntimeException again) {
        keepFailed(f);
        LOG.debug("journey analytics: a replay failed; again at the next write", again);
        return;
      }
    }
  }

  /** How many facts wait for a replay (for tests). */
  int failedKept() {
    return failedKept.get();
  }

  /** The facts kept in one unit of work, by mark key (the first of a key wins, as in sequence). */
  private final class Kept implements UnitOfWork.BeforeCommit {
    private final Map<List<String>, Object[]> marks = new LinkedHashMap<>();
    private final Map<List<String>, JourneyFact> facts = new LinkedHashMap<>();
    private final int stripe = ThreadLocalRandom.current().nextInt(UNIT_STRIPES);

    void add(JourneyFact fact, long at) {
      List<String> key = List.of(fact.tenant().value(), fact.subject(), fact.metric().name());
      if (facts.putIfAbsent(key, fact) == null) {
        JourneyStepRef s = fact.step();
        marks.put(
            key,
            new Object[] {
              fact.tenant().value(),
              fact.subject(),
              fact.metric().name(),
              s.journey(),
              s.version(),
              s.step(),
              at
            });
      }
    }

    @Override
    public void beforeCommit(Connection c) throws SQLException {
      writeKept(c, marks, facts, stripe);
    }
  }

  /**
   * Writes kept facts: their marks, then the counts of those whose mark was new, on PostgreSQL into
   * the unit's {@code stripe}.
   */
  private void writeKept(
      Connection c,
      Map<List<String>, Object[]> marks,
      Map<List<String>, JourneyFact> facts,
      int stripe)
      throws SQLException {
    if (marks.isEmpty()) {
      return;
    }
    JdbcDialect dialect = jdbc.dialect();
    if (dialect != JdbcDialect.POSTGRESQL) {
      // H2 runs in the process: a statement costs no round trip, each fact as record() writes it
      for (Map.Entry<List<String>, Object[]> e : marks.entrySet()) {
        if (dialect.insertIfAbsent(c, MARK, MARK_KEY, MARK_COLUMNS, e.getValue())) {
          JourneyFact fact = facts.get(e.getKey());
          increment(c, fact, TOTAL);
          if (fact.reason().isPresent()) {
            increment(c, fact, fact.reason().get());
          }
        }
      }
      return;
    }
    Comparator<String> order = dialect.keyOrder();
    List<List<String>> keys = new ArrayList<>(marks.keySet());
    keys.sort(
        Comparator.comparing((List<String> k) -> k.get(0), order)
            .thenComparing(k -> k.get(1), order)
            .thenComparing(k -> k.get(2), order));
    java.util.Set<List<String>> inserted = new HashSet<>();
    // rbatch: in chunks, as one statement's parameters are limited (65,535 on PostgreSQL's driver)
    for (int from = 0; from < keys.size(); from += KEPT_CHUNK) {
      List<List<String>> chunk = keys.subList(from, Math.min(keys.size(), from + KEPT_CHUNK));
      Object[] params = new Object[chunk.size() * MARK_COLUMNS.length];
      for (int i = 0; i < chunk.size(); i++) {
        System.arraycopy(
            marks.get(chunk.get(i)), 0, params, i * MARK_COLUMNS.length, MARK_COLUMNS.length);
      }
      Jdbc.query(
          c,
          "INSERT INTO "
              + MARK
              + " ("
              + String.join(", ", MARK_COLUMNS)
              + ") VALUES "
              + JdbcDialect.rowsOfPlaceholders(MARK_COLUMNS.length, chunk.size())
              + " ON CONFLICT (tenant_id, subject, metric) DO NOTHING"
              + " RETURNING tenant_id, subject, metric",
          rs -> inserted.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3))),
          params);
    }
    // the counts of the newly marked facts, summed per row
    Map<List<Object>, long[]> tallies = new java.util.HashMap<>();
    for (List<String> k : keys) {
      if (inserted.contains(k)) {
        JourneyFact fact = facts.get(k);
        tallies.computeIfAbsent(tallyKey(fact, TOTAL, stripe), x -> new long[1])[0]++;
        if (fact.reason().isPresent()) {
          tallies
              .computeIfAbsent(tallyKey(fact, fact.reason().get(), stripe), x -> new long[1])[0]++;
        }
      }
    }
    if (tallies.isEmpty()) {
      return;
    }
    List<List<Object>> all = new ArrayList<>(tallies.keySet());
    all.sort(TALLY_ORDER);
    for (int from = 0; from < all.size(); from += KEPT_CHUNK) {
      List<List<Object>> rows = all.subList(from, Math.min(all.size(), from + KEPT_CHUNK));
      Object[] values = new Object[rows.size() * TALLY_COLUMNS.length];
      int at = 0;
      for (List<Object> r : rows) {
        for (Object v : r) {
          values[at++] = v;
        }
        values[at++] = tallies.get(r)[0];
      }
      Jdbc.update(
          c,
          "INSERT INTO "
              + TALLY
              + " ("
              + String.join(", ", TALLY_COLUMNS)
              + ") VALUES "
              + JdbcDialect.rowsOfPlaceholders(TALLY_COLUMNS.length, rows.size())
              + " ON CONFLICT ("
              + String.join(", ", TALLY_KEY)
              + ") DO UPDATE SET n = "
              + TALLY
              + ".n + EXCLUDED.n",
          values);
    }
  }

  /** A tally row's key: tenant, journey, version, step, metric, reason, stripe. */
  private static List<Object> tallyKey(JourneyFact fact, String reason, int stripe) {
    JourneyStepRef s = fact.step();
    return List.of(
        fact.tenant().value(),
        s.journey(),
        s.version(),
        s.step(),
        fact.metric().name(),
        reason,
        stripe);
  }

  /** The one order tally rows are written in by a unit: by their key, column by column. */
  private static final Comparator<List<Object>> TALLY_ORDER =
      (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
          int d =
              a.get(i) instanceof Integer x
                  ? Integer.compare(x, (Integer) b.get(i))
                  : JdbcDialect.CODE_POINTS.compare((String) a.get(i), (String) b.get(i));
          if (d != 0) {
            return d;
          }
        }
        return 0;
      };

  private void increment(Connection c, JourneyFact fact, String reason) throws SQLException {
    JourneyStepRef s = fact.step();
    int stripe = Math.floorMod(fact.subject().hashCode(), STRIPES);
    Object[] key = {
      fact.tenant().value(),
      s.journey(),
      s.version(),
      s.step(),
      fact.metric().name(),
      reason,
      stripe
    };
    String update =
        "UPDATE "
            + TALLY
            + " SET n = n + 1 WHERE tenant_id = ? AND journey_id = ? AND version = ?"
            + " AND step_id = ? AND metric = ? AND reason = ? AND stripe = ?";
    if (Jdbc.update(c, update, key) == 1) {
      return;
    }
    Object[] row = {
      fact.tenant().value(),
      s.journey(),
      s.version(),
      s.step(),
      fact.metric().name(),
      reason,
      stripe,
      1L
    };
    if (!jdbc.dialect().insertIfAbsent(c, TALLY, TALLY_KEY, TALLY_COLUMNS, row)) {
      // another transaction inserted the row meanwhile (and committed): raise it now
      Jdbc.update(c, update, key);
    }
  }

  @Override
  public Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
    JourneyAnalyticsStore.checkMessage(tenant, messageId);
    List<Object[]> rows =
        jdbc.withConnection(
            "reading the journey step of a message of tenant " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    "SELECT metric, journey_id, version, step_id FROM "
                        + MARK
                        + " WHERE tenant_id = ? AND subject = ?",
                    rs ->
                        new Object[] {
                          rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)
                        },
                    tenant.value(),
                    messageId));
    // in the metrics' order, as the in-memory store answers
    Optional<JourneyStepRef> best = Optional.empty();
    int bestOrdinal = Integer.MAX_VALUE;
    for (Object[] r : rows) {
      JourneyMetric m = JourneyMetric.valueOf((String) r[0]);
      if (m.perMessage() && m.ordinal() < bestOrdinal) {
        bestOrdinal = m.ordinal();
        best = Optional.of(new JourneyStepRef((String) r[1], (Integer) r[2], (String) r[3]));
      }
    }
    return best;
  }

  /** How many message ids one read of {@link #stepsOf} asks for at most. */
  private static final int STEPS_CHUNK = 500;

  @Override
  public Map<String, JourneyStepRef> stepsOf(TenantId tenant, Collection<String> messageIds) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(messageIds, "message ids");
    List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(messageIds));
    for (String id : ids) {
      JourneyAnalyticsStore.checkMessage(tenant, id);
    }
    Map<String, JourneyStepRef> out = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    List<Object[]> rows =
        jdbc.withConnection(
            "reading the journey steps of " + ids.size() + " messages of tenant " + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.queryIn(
                    c,
                    "SELECT subject, metric, journey_id, version, step_id FROM "
                        + MARK
                        + " WHERE tenant_id = ? AND subject",
                    "",
                    tenant.value(),
                    ids,
                    STEPS_CHUNK,
                    rs ->
                        new Object[] {
                          rs.getString(1),
                          rs.getString(2),
                          rs.getString(3),
                          rs.getInt(4),
                          rs.getString(5)
                        }));
    // per message, in the metrics' order, as stepOf answers
    Map<String, Integer> bestOrdinal = new java.util.HashMap<>();
    for (Object[] r : rows) {
      String subject = (String) r[0];
      JourneyMetric m = JourneyMetric.valueOf((String) r[1]);
      if (m.perMessage() && m.ordinal() < bestOrdinal.getOrDefault(subject, Integer.MAX_VALUE)) {
        bestOrdinal.put(subject, m.ordinal());
        out.put(subject, new JourneyStepRef((String) r[2], (Integer) r[3], (String) r[4]));
      }
    }
    return out;
  }

  @Override
  public List<StepCount> counts(TenantId tenant, String journey, int version) {
    JourneyAnalyticsStore.checkJourney(tenant, journey, version);
    return jdbc.withConnection(
        "reading the counts of journey " + journey + " v" + version + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.query(
                c,
                "SELECT step_id, metric, reason, SUM(n) FROM (SELECT step_id, metric, reason, n FROM "
                    + TALLY
                    + " WHERE tenant_id = ? AND journey_id = ? AND version = ?"
                    + " UNION ALL SELECT step_id, metric, reason, n FROM "
                    + COUNT
                    + " WHERE tenant_id = ? AND journey_id = ? AND version = ?) counted"
                    + " GROUP BY step_id, metric, reason",
                rs -> {
                  String reason = rs.getString(3);
                  return new StepCount(
                      rs.getString(1),
                      JourneyMetric.valueOf(rs.getString(2)),
                      reason.isEmpty() ? Optional.empty() : Optional.of(reason),
                      rs.getLong(4));
                },
                tenant.value(),
                journey,
                version,
                tenant.value(),
                journey,
                version));
  }

  @Override
  public boolean openEpisode(
      TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at) {
    JourneyAnalyticsStore.checkOpen(tenant, step, kind, at);
    Object[] row = {
      tenant.value(),
      step.journey(),
      step.version(),
      step.step(),
      kind.name(),
      EpochNanos.of(at, "opening time of an alert episode")
    };
    // repeating it changes nothing, but would answer false (another's episode), so that no alert
    // is raised for it: not repeated after a lost connection, the caller learns it may be open
    return jdbc.withConnection(
        "opening a " + kind + " episode at " + step + " for tenant " + tenant,
        c -> jdbc.dialect().insertIfAbsent(c, ALERT, ALERT_KEY, ALERT_COLUMNS, row));
  }

  @Override
  public boolean closeEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
    JourneyAnalyticsStore.checkEpisode(tenant, step, kind);
    // repeating it changes nothing, but would answer false: not repeated after a lost connection
    return jdbc.withConnection(
        "closing a " + kind + " episode at " + step + " for tenant " + tenant,
        c ->
            Jdbc.update(
                    c,
                    "DELETE FROM "
                        + ALERT
                        + " WHERE tenant_id = ? AND journey_id = ? AND version = ?"
                        + " AND step_id = ? AND kind = ?",
                    tenant.value(),
                    step.journey(),
                    step.version(),
                    step.step(),
                    kind.name())
                == 1);
  }

  @Override
  public Map<String, Set<JourneyAlertKind>> openEpisodes(
      TenantId tenant, String journey, int version) {
    JourneyAnalyticsStore.checkJourney(tenant, journey, version);
    List<String[]> rows =
        jdbc.withConnection(
            "reading the open alert episodes of journey "
                + journey
                + " v"
                + version
                + " of tenant "
                + tenant,
            Jdbc.Repeat.SAFE,
            c ->
                Jdbc.query(
                    c,
                    "SELECT step_id, kind FROM "
                        + ALERT
                        + " WHERE tenant_id = ? AND journey_id = ? AND version = ?",
                    rs -> new String[] {rs.getString(1), rs.getString(2)},
                    tenant.value(),
                    journey,
                    version));
    Map<String, Set<JourneyAlertKind>> out = new TreeMap<>();
    for (String[] r : rows) {
      out.computeIfAbsent(r[0], x -> EnumSet.noneOf(JourneyAlertKind.class))
          .add(JourneyAlertKind.valueOf(r[1]));
    }
    return out;
  }

  @Override
  public int purgeMarksBefore(Instant cutoff, int max) {
    JourneyAnalyticsStore.checkPurge(cutoff, max);
    return jdbc.withConnection(
        "purging journey analytics marks",
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM "
                    + MARK
                    + " WHERE (tenant_id, subject, metric) IN (SELECT tenant_id, subject, metric"
                    + " FROM "
                    + MARK
                    + " WHERE at "
                    + EpochNanos.before(cutoff)
                    + " ? LIMIT "
                    + max
                    + ")",
                EpochNanos.bound(cutoff, "cutoff")));
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    return jdbc.inTransaction(
        "erasing the journey analytics of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          int marks =
              Jdbc.update(c, "DELETE FROM " + MARK + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + TALLY + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + COUNT + " WHERE tenant_id = ?", tenant.value());
          Jdbc.update(c, "DELETE FROM " + ALERT + " WHERE tenant_id = ?", tenant.value());
          return marks;
        });
  }
}
