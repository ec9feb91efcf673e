-- Steward schema version 3 for H2 2.x: the durable work engine's one table (dev.steward.schedule).
-- Due times are BIGINT nanoseconds since the epoch of the application's clock (business time);
-- lease_until is nanoseconds since the epoch of the database's clock.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_work (
  tenant_id        VARCHAR(200) NOT NULL,
  kind             VARCHAR(100) NOT NULL,
  item_id          VARCHAR(200) NOT NULL,
  subject          VARCHAR(200) NOT NULL,
  payload          CHARACTER LARGE OBJECT NOT NULL,
  payload_version  INTEGER NOT NULL,
  due_at           BIGINT NOT NULL,
  priority         INTEGER NOT NULL,
  attempts         INTEGER NOT NULL,
  state            SMALLINT NOT NULL,
  last_error       VARCHAR(2000) NOT NULL,
  lease_owner      VARCHAR(200),
  lease_token      BIGINT,
  lease_until      BIGINT,
  PRIMARY KEY (tenant_id, kind, item_id)
);

CREATE INDEX IF NOT EXISTS steward_work_due
  ON steward_work (state, due_at, priority DESC, item_id);

CREATE INDEX IF NOT EXISTS steward_work_tenant_due
  ON steward_work (state, tenant_id, due_at, priority DESC, item_id);

CREATE INDEX IF NOT EXISTS steward_work_subject
  ON steward_work (tenant_id, subject);

-- kept beside the PostgreSQL script's partial index of DEAD items, statement for statement
CREATE INDEX IF NOT EXISTS steward_work_dead
  ON steward_work (state, due_at, item_id);
