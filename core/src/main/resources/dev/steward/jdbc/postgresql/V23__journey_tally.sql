-- Steward schema version 23 for PostgreSQL: journey counts striped (JdbcJourneyAnalyticsStore).
-- steward_journey_tally holds the counts per journey, version, step, metric and reason in 16 rows
-- (stripes) each, picked by the counted subject, summed when read: every enrolment at a step raised
-- the one row of steward_journey_count, so steps on several instances waited for each other's
-- commits on its lock. Version 22's rows stay in steward_journey_count and are read beside these.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_journey_tally (
  tenant_id      VARCHAR(200) COLLATE "C" NOT NULL,
  journey_id     VARCHAR(80) COLLATE "C" NOT NULL,
  version        INTEGER NOT NULL,
  step_id        VARCHAR(80) COLLATE "C" NOT NULL,
  metric         VARCHAR(20) NOT NULL,
  reason         VARCHAR(200) COLLATE "C" NOT NULL,
  stripe         SMALLINT NOT NULL,
  n              BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, journey_id, version, step_id, metric, reason, stripe)
);
