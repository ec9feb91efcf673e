-- Steward schema version 2 for H2 2.x: health score history and the health monitor's band state.
-- Instants are BIGINT nanoseconds since the epoch (see EpochNanos), as in version 1.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

-- One row per account and scoring time; the primary key is the (account, time) index that every
-- history query ranges over. score is NULL when the status is INSUFFICIENT.
CREATE TABLE IF NOT EXISTS steward_health_record (
  account_id         VARCHAR(200) NOT NULL,
  as_of              BIGINT NOT NULL,
  status             VARCHAR(16) NOT NULL,
  score              DOUBLE PRECISION,
  coverage           DOUBLE PRECISION NOT NULL,
  scorecard_id       VARCHAR(200) NOT NULL,
  scorecard_version  INTEGER NOT NULL,
  overridden         BOOLEAN NOT NULL,
  PRIMARY KEY (account_id, as_of)
);

-- A monitor's confirmed band per account and its run towards another band; band is NULL until the
-- account's first score places it. monitor names the band configuration, so monitors with
-- different bands can share the database.
CREATE TABLE IF NOT EXISTS steward_health_band_state (
  monitor      VARCHAR(200) NOT NULL,
  account_id   VARCHAR(200) NOT NULL,
  band         VARCHAR(200),
  candidate    VARCHAR(200),
  consecutive  INTEGER NOT NULL,
  PRIMARY KEY (monitor, account_id)
);
