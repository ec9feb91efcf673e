-- Steward schema version 14 for H2: IP-pool assignments and their audit.
-- steward_ippool_assignment: the pool each tenant's stream (TRANSACTIONAL, MARKETING) sends from,
-- its tier, and a version that each move raises by one: a move is written only over the version
-- it was planned from (UPDATE ... WHERE version = ?), so applying a plan twice changes nothing.
-- since is in nanoseconds since the epoch.
-- steward_ippool_change: the audit, one row per applied move, keyed by the version it made, with
-- the reason (cause, metric, value, threshold, level, onboarding state, explanation) and the plan.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an H2 JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_ippool_assignment (
  tenant_id   VARCHAR(200) NOT NULL,
  stream      VARCHAR(16) NOT NULL,
  pool        VARCHAR(64) NOT NULL,
  tier        VARCHAR(16) NOT NULL,
  version     BIGINT NOT NULL,
  since       BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, stream)
);

CREATE INDEX IF NOT EXISTS steward_ippool_assignment_pool
  ON steward_ippool_assignment (pool);

CREATE TABLE IF NOT EXISTS steward_ippool_change (
  tenant_id         VARCHAR(200) NOT NULL,
  stream            VARCHAR(16) NOT NULL,
  version           BIGINT NOT NULL,
  from_pool         VARCHAR(64),
  to_pool           VARCHAR(64) NOT NULL,
  tier              VARCHAR(16) NOT NULL,
  plan_id           VARCHAR(64) NOT NULL,
  changed_at        BIGINT NOT NULL,
  reason_cause      VARCHAR(16) NOT NULL,
  reason_metric     VARCHAR(32),
  reason_value      DOUBLE PRECISION,
  reason_threshold  DOUBLE PRECISION,
  reason_level      VARCHAR(16),
  reason_onboarding VARCHAR(32),
  explanation       CHARACTER LARGE OBJECT NOT NULL,
  PRIMARY KEY (tenant_id, stream, version)
);
