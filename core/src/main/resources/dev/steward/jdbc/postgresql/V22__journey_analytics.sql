-- Steward schema version 22 for PostgreSQL: journey analytics (dev.steward.journey, JdbcJourneyAnalyticsStore).
-- steward_journey_mark holds one row per subject (a message id, or an enrolment id) and metric
-- counted, with the step it was counted against: inserted if absent in the transaction that raises
-- the counts, so a replayed or duplicated event counts once; a provider event finds the journey
-- version of its message by it. steward_journey_count holds the counts per journey, version, step
-- and metric: the total under the reason '' and one row per reason. steward_journey_alert holds the
-- open alert episodes, inserted if absent, so an alert is raised once per episode across
-- instances. Marks are purged after their retention; the counts stay. Times are BIGINT nanoseconds since the epoch of the application's clock. Every key
-- starts with the tenant.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_journey_mark (
  tenant_id      VARCHAR(200) COLLATE "C" NOT NULL,
  subject        VARCHAR(200) COLLATE "C" NOT NULL,
  metric         VARCHAR(20) NOT NULL,
  journey_id     VARCHAR(80) NOT NULL,
  version        INTEGER NOT NULL,
  step_id        VARCHAR(80) NOT NULL,
  at             BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, subject, metric)
);

-- the purge of marks past their retention (JourneyAnalytics.registerPurge), by the fact's time
CREATE INDEX IF NOT EXISTS steward_journey_mark_at ON steward_journey_mark (at);

CREATE TABLE IF NOT EXISTS steward_journey_count (
  tenant_id      VARCHAR(200) COLLATE "C" NOT NULL,
  journey_id     VARCHAR(80) COLLATE "C" NOT NULL,
  version        INTEGER NOT NULL,
  step_id        VARCHAR(80) COLLATE "C" NOT NULL,
  metric         VARCHAR(20) NOT NULL,
  reason         VARCHAR(200) COLLATE "C" NOT NULL,
  n              BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, journey_id, version, step_id, metric, reason)
);

CREATE TABLE IF NOT EXISTS steward_journey_alert (
  tenant_id      VARCHAR(200) COLLATE "C" NOT NULL,
  journey_id     VARCHAR(80) COLLATE "C" NOT NULL,
  version        INTEGER NOT NULL,
  step_id        VARCHAR(80) COLLATE "C" NOT NULL,
  kind           VARCHAR(40) NOT NULL,
  opened_at      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, journey_id, version, step_id, kind)
);
