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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link JourneyAnalyticsStore} in the tables {@code steward_journey_mark}, {@code
 * steward_journey_tally} and {@code steward_journey_alert} (schema versions 22 and 23), shared by
 * several application instances. A fact's mark is inserted if absent and its counts raised in the
 * same transaction, so of two instances applying one event, one counts it. Each count is kept in
 * {@value #STRIPES} rows, one picked by the fact's subject and all summed when read, so the steps
 * of many enrolments at one step do not queue on one row's lock ({@code steward_journey_count},
 * where version 22 kept each count in one row, is read beside them).
 */
public final class JdbcJourneyAnalyticsStore implements JourneyAnalyticsStore {
  private static final String MARK = "steward_journey_mark";
  private static final String COUNT = "steward_journey_count"; // version 22's, read and erased
  private static final String TALLY = "steward_journey_tally";

  /** How many rows each count is spread over. */
  static final int STRIPES = 16;

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

  private final Jdbc jdbc;

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
                    + " WHERE at < ? LIMIT "
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
