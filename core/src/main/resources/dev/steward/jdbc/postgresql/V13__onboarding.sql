-- Steward schema version 13 for PostgreSQL: the onboarding record of each tenant.
-- One row per tenant: its current state (what pages by state read), the version each change raises
-- by one (a change is written only over the version it was computed from: UPDATE ... WHERE version
-- = ?), the time of the last change in nanoseconds since the epoch, and a JSON document holding the
-- audit trail, the phase entry times and the gate verdicts. Tenant ids compare byte for byte.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_onboarding (
  tenant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  state       VARCHAR(32) NOT NULL,
  version     BIGINT NOT NULL,
  changed_at  BIGINT NOT NULL,
  document    TEXT NOT NULL,
  PRIMARY KEY (tenant_id)
);

CREATE INDEX IF NOT EXISTS steward_onboarding_state
  ON steward_onboarding (state, tenant_id);
