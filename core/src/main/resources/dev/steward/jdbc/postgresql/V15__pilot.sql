-- Steward schema version 15 for PostgreSQL: the pilot warm-up of each tenant.
-- steward_pilot: one row per tenant, its stage (for reading at a glance) and a JSON document with
-- the stage's start, the last judged day, the newest warning already applied and the stage history.
-- A row is created with a null document and locked (SELECT ... FOR UPDATE) while a change is made.
-- steward_pilot_day: the messages counted on each UTC day (epoch_day: days since 1970-01-01), kept
-- in step with steward_pilot_send, which names each counted message so that a release or a late
-- confirmation acts once per message. A reservation locks the day's row, so instances count one
-- after the other and never above the limit.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_pilot (
  tenant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  stage       INTEGER NOT NULL,
  document    TEXT,
  PRIMARY KEY (tenant_id)
);

CREATE TABLE IF NOT EXISTS steward_pilot_day (
  tenant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  epoch_day   BIGINT NOT NULL,
  used        BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, epoch_day)
);

CREATE TABLE IF NOT EXISTS steward_pilot_send (
  tenant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  epoch_day   BIGINT NOT NULL,
  message_id  VARCHAR(200) COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, epoch_day, message_id)
);
