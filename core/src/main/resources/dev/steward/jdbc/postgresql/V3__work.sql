-- Steward schema version 3 for PostgreSQL: the durable work engine's one table (dev.steward.schedule).
-- Due times are BIGINT nanoseconds since the epoch of the application's clock (business time);
-- lease_until is nanoseconds since the epoch of the database's clock, so instances whose clocks
-- disagree never judge each other's leases differently.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

-- Finished work is deleted at once, so the table holds only pending and dead items. A queue table
-- sees many deletes: vacuum it often so dead index entries do not slow the claim's index scans.
CREATE TABLE IF NOT EXISTS steward_work (
  tenant_id        VARCHAR(200) COLLATE "C" NOT NULL,
  kind             VARCHAR(100) COLLATE "C" NOT NULL,
  item_id          VARCHAR(200) COLLATE "C" NOT NULL,
  subject          VARCHAR(200) COLLATE "C" NOT NULL,
  payload          TEXT NOT NULL,
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
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.0,
        autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_cost_delay = 0);

-- READY items (state 0) by due time: the claim's fill pass
CREATE INDEX IF NOT EXISTS steward_work_due
  ON steward_work (due_at, priority DESC, item_id) WHERE state = 0;

-- READY items per tenant by due time: the claim's fair pass, and the skip scan over tenants
CREATE INDEX IF NOT EXISTS steward_work_tenant_due
  ON steward_work (tenant_id, due_at, priority DESC, item_id) WHERE state = 0;

CREATE INDEX IF NOT EXISTS steward_work_subject
  ON steward_work (tenant_id, subject) WHERE subject <> '';

CREATE INDEX IF NOT EXISTS steward_work_dead
  ON steward_work (due_at, item_id) WHERE state = 1;
