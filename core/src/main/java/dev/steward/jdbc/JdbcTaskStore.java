package dev.steward.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.journey.InvalidTaskException;
import dev.steward.journey.JourneyTask;
import dev.steward.journey.TaskEmail;
import dev.steward.journey.TaskOutcome;
import dev.steward.journey.TaskReport;
import dev.steward.journey.TaskState;
import dev.steward.journey.TaskStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A {@link TaskStore} in the table {@code steward_journey_task} (schema version 17), shared by
 * several application instances. A task is inserted if absent; every change is an {@code UPDATE ...
 * WHERE state = ?}, so of two instances reminding, escalating or completing one task, one applies
 * and the other learns it lost.
 */
public final class JdbcTaskStore implements TaskStore {
  private static final String TABLE = "steward_journey_task";
  private static final String[] KEY = {"tenant_id", "task_id"};
  private static final String[] COLUMNS = {
    "tenant_id",
    "task_id",
    "journey_id",
    "enrolment_id",
    "step_id",
    "task",
    "account_id",
    "contact_id",
    "owner",
    "second_owner",
    "suggested",
    "due_at",
    "remind_at",
    "escalate_at",
    "state",
    "outcome",
    "reason",
    "edited",
    "created_at",
    "updated_at",
    "closed_at"
  };
  private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE;
  private static final String OPEN = "state IN ('OPEN', 'REMINDED', 'ESCALATED')";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbc jdbc;

  JdbcTaskStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A store over a data source whose schema {@link StewardSchema#bootstrap} has applied. */
  public static JdbcTaskStore of(DataSource dataSource) {
    return new JdbcTaskStore(new Jdbc(dataSource));
  }

  @Override
  public boolean create(JourneyTask t) {
    TaskStore.checkNew(t);
    Object[] row = {
      t.tenant().value(),
      t.id(),
      t.journey(),
      t.enrolment(),
      t.step(),
      t.task(),
      t.account().value(),
      t.contact().value(),
      t.owner(),
      Jdbc.varchar(t.secondOwner().orElse(null)),
      Jdbc.varchar(t.suggested().map(JdbcTaskStore::write).orElse(null)),
      EpochNanos.of(t.dueAt(), "due time"),
      EpochNanos.of(t.remindAt(), "reminder time"),
      EpochNanos.of(t.escalateAt(), "escalation time"),
      t.state().name(),
      Jdbc.varchar(null),
      Jdbc.varchar(null),
      Jdbc.varchar(null),
      EpochNanos.of(t.createdAt(), "creation time"),
      EpochNanos.of(t.updatedAt(), "update time"),
      Jdbc.bigint(null)
    };
    return jdbc.withConnection(
        "creating task " + t.id() + " of tenant " + t.tenant(),
        Jdbc.Repeat.SAFE,
        c -> jdbc.dialect().insertIfAbsent(c, TABLE, KEY, COLUMNS, row));
  }

  @Override
  public Optional<JourneyTask> find(TenantId tenant, String id) {
    InvalidTaskException.require(tenant, "tenant");
    TaskStore.checkId(id);
    return jdbc.withConnection(
        "reading task " + id + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.queryOne(
                c,
                SELECT + " WHERE tenant_id = ? AND task_id = ?",
                JdbcTaskStore::read,
                tenant.value(),
                id));
  }

  @Override
  public boolean update(JourneyTask next, TaskState expected) {
    TaskStore.checkUpdate(next, expected);
    Object[] params = {
      next.owner(),
      next.state().name(),
      Jdbc.varchar(next.outcome().map(Enum::name).orElse(null)),
      Jdbc.varchar(next.reason().orElse(null)),
      Jdbc.varchar(next.edited().map(JdbcTaskStore::write).orElse(null)),
      EpochNanos.of(next.updatedAt(), "update time"),
      Jdbc.bigint(next.closedAt().map(t -> EpochNanos.of(t, "closing time")).orElse(null)),
      next.tenant().value(),
      next.id(),
      expected.name()
    };
    return jdbc.withConnection(
        "changing task " + next.id() + " of tenant " + next.tenant() + " to " + next.state(),
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                    c,
                    "UPDATE "
                        + TABLE
                        + " SET owner = ?, state = ?, outcome = ?, reason = ?, edited = ?,"
                        + " updated_at = ?, closed_at = ?"
                        + " WHERE tenant_id = ? AND task_id = ? AND state = ?",
                    params)
                > 0);
  }

  @Override
  public List<JourneyTask> open(TenantId tenant, String owner, Optional<String> afterId, int max) {
    TaskStore.checkPage(tenant, owner, afterId, max);
    return page(
        "the open tasks of an owner of tenant " + tenant,
        "owner = ? AND " + OPEN,
        List.of(owner),
        tenant,
        afterId,
        max);
  }

  @Override
  public List<JourneyTask> overdue(
      TenantId tenant, String owner, Instant now, Optional<String> afterId, int max) {
    TaskStore.checkPage(tenant, owner, afterId, max);
    InvalidTaskException.require(now, "now");
    return page(
        "the overdue tasks of an owner of tenant " + tenant,
        "owner = ? AND " + OPEN + " AND due_at " + EpochNanos.before(now) + " ?",
        List.of(owner, EpochNanos.bound(now, "now")),
        tenant,
        afterId,
        max);
  }

  @Override
  public List<JourneyTask> byAccount(
      TenantId tenant, AccountId account, Optional<String> afterId, int max) {
    InvalidTaskException.require(account, "account");
    TaskStore.checkPage(tenant, "-", afterId, max);
    return page(
        "the tasks of account " + account + " of tenant " + tenant,
        "account_id = ?",
        List.of(account.value()),
        tenant,
        afterId,
        max);
  }

  private List<JourneyTask> page(
      String what,
      String where,
      List<Object> params,
      TenantId tenant,
      Optional<String> afterId,
      int max) {
    List<Object> all = new ArrayList<>();
    all.add(tenant.value());
    all.addAll(params);
    afterId.ifPresent(all::add);
    String sql =
        SELECT
            + " WHERE tenant_id = ? AND "
            + where
            + (afterId.isPresent() ? " AND task_id > ?" : "")
            + " ORDER BY task_id LIMIT "
            + max;
    return jdbc.withConnection(
        "reading " + what,
        Jdbc.Repeat.SAFE,
        c -> Jdbc.query(c, sql, JdbcTaskStore::read, all.toArray()));
  }

  @Override
  public TaskReport report(TenantId tenant, String owner, Instant from, Instant to, Instant now) {
    TaskStore.checkReport(tenant, owner, from, to, now);
    long nowNanos = EpochNanos.bound(now, "now");
    long fromNanos = EpochNanos.bound(from, "start of the period");
    long toNanos = EpochNanos.bound(to, "end of the period");
    return jdbc.withConnection(
        "reporting the tasks of an owner of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> {
          long[] open =
              Jdbc.queryOne(
                      c,
                      "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN due_at "
                          + EpochNanos.before(now)
                          + " ? THEN 1 ELSE 0 END), 0) AS late FROM "
                          + TABLE
                          + " WHERE tenant_id = ? AND owner = ? AND "
                          + OPEN,
                      rs -> new long[] {rs.getLong("n"), rs.getLong("late")},
                      nowNanos,
                      tenant.value(),
                      owner)
                  .orElse(new long[2]);
          Map<String, Long> closed = new TreeMap<>();
          Jdbc.query(
              c,
              "SELECT state, outcome, COUNT(*) AS n FROM "
                  + TABLE
                  + " WHERE tenant_id = ? AND owner = ? AND state IN ('DONE', 'EXPIRED')"
                  + " AND closed_at "
                  + EpochNanos.atOrAfter(from)
                  + " ? AND closed_at "
                  + EpochNanos.before(to)
                  + " ? GROUP BY state, outcome",
              rs ->
                  closed.put(
                      rs.getString("state") + "/" + rs.getString("outcome"), rs.getLong("n")),
              tenant.value(),
              owner,
              fromNanos,
              toNanos);
          return new TaskReport(
              owner,
              from,
              to,
              open[0],
              open[1],
              closed.getOrDefault("DONE/" + TaskOutcome.SENT_AS_SUGGESTED, 0L),
              closed.getOrDefault("DONE/" + TaskOutcome.SENT_EDITED, 0L),
              closed.getOrDefault("DONE/" + TaskOutcome.DISMISSED, 0L),
              closed.getOrDefault("EXPIRED/null", 0L));
        });
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    InvalidTaskException.require(tenant, "tenant");
    InvalidTaskException.require(contact, "contact");
    return jdbc.withConnection(
        "erasing the tasks of " + contact + " of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c ->
            Jdbc.update(
                c,
                "DELETE FROM " + TABLE + " WHERE tenant_id = ? AND contact_id = ?",
                tenant.value(),
                contact.value()));
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidTaskException.require(tenant, "tenant");
    return jdbc.withConnection(
        "erasing the tasks of tenant " + tenant,
        Jdbc.Repeat.SAFE,
        c -> Jdbc.update(c, "DELETE FROM " + TABLE + " WHERE tenant_id = ?", tenant.value()));
  }

  private static JourneyTask read(ResultSet rs) throws SQLException {
    Long closed = Jdbc.getLong(rs, "closed_at");
    return new JourneyTask(
        TenantId.of(rs.getString("tenant_id")),
        rs.getString("task_id"),
        rs.getString("journey_id"),
        rs.getString("enrolment_id"),
        rs.getString("step_id"),
        rs.getString("task"),
        AccountId.of(rs.getString("account_id")),
        ContactId.of(rs.getString("contact_id")),
        rs.getString("owner"),
        Optional.ofNullable(rs.getString("second_owner")),
        Optional.ofNullable(rs.getString("suggested")).map(JdbcTaskStore::readEmail),
        EpochNanos.toInstant(rs.getLong("due_at")),
        EpochNanos.toInstant(rs.getLong("remind_at")),
        EpochNanos.toInstant(rs.getLong("escalate_at")),
        TaskState.valueOf(rs.getString("state")),
        Optional.ofNullable(rs.getString("outcome")).map(TaskOutcome::valueOf),
        Optional.ofNullable(rs.getString("reason")),
        Optional.ofNullable(rs.getString("edited")).map(JdbcTaskStore::readEmail),
        EpochNanos.toInstant(rs.getLong("created_at")),
        EpochNanos.toInstant(rs.getLong("updated_at")),
        Optional.ofNullable(closed).map(EpochNanos::toInstant));
  }

  private static String write(TaskEmail e) {
    ObjectNode n = JSON.createObjectNode();
    e.template().ifPresent(t -> n.put("template", t));
    e.subject().ifPresent(s -> n.put("subject", s));
    e.body().ifPresent(b -> n.put("body", b));
    ObjectNode data = n.putObject("data");
    e.data().forEach(data::put);
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException("cannot write a task email", x);
    }
  }

  private static TaskEmail readEmail(String json) {
    JsonNode n = StrictJson.read(json, "task email", JdbcStoreException::new);
    Map<String, String> data = new TreeMap<>();
    JsonNode d = n.path("data");
    Iterator<String> names = d.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      data.put(name, d.get(name).asText());
    }
    return new TaskEmail(text(n, "template"), text(n, "subject"), text(n, "body"), data);
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }
}
