-- Steward schema version 11 for H2: journeys (dev.steward.journey, JdbcJourneyStore).
-- steward_journey_contact holds what journeys know of a contact (address, zone, attributes as a
-- JSON object) and is the row an enrolment locks (SELECT ... FOR UPDATE), so that the re-entry
-- rule and the limit of journeys at once are checked and written in one step across instances.
-- steward_journey_enrolment holds one row per enrolment; every change raises seq by one and is
-- applied only where seq is the one read (compare-and-set), with its history row of the same seq
-- in steward_journey_history in the same transaction. Times are BIGINT nanoseconds since the epoch
-- of the application's clock. Every key starts with the tenant.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_journey_contact (
  tenant_id    VARCHAR(200) NOT NULL,
  contact_id   VARCHAR(200) NOT NULL,
  account_id   VARCHAR(200) NOT NULL,
  email        VARCHAR(320),
  zone         VARCHAR(100),
  attributes   TEXT NOT NULL,
  PRIMARY KEY (tenant_id, contact_id)
);

CREATE TABLE IF NOT EXISTS steward_journey_enrolment (
  tenant_id        VARCHAR(200) NOT NULL,
  enrolment_id     VARCHAR(64) NOT NULL,
  contact_id       VARCHAR(200) NOT NULL,
  journey_id       VARCHAR(80) NOT NULL,
  journey_version  INTEGER NOT NULL,
  step_id          VARCHAR(80) NOT NULL,
  seq              INTEGER NOT NULL,
  state            VARCHAR(20) NOT NULL,
  due_at           BIGINT NOT NULL,
  entered_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL,
  last_message_id  VARCHAR(200),
  exit_reason      VARCHAR(1000),
  PRIMARY KEY (tenant_id, enrolment_id)
);

CREATE INDEX IF NOT EXISTS steward_journey_enrolment_contact
  ON steward_journey_enrolment (tenant_id, contact_id, entered_at);

-- unfinished enrolments by due time: the sweep for enrolments whose work item was lost
CREATE INDEX IF NOT EXISTS steward_journey_enrolment_due
  ON steward_journey_enrolment (due_at, enrolment_id);

CREATE TABLE IF NOT EXISTS steward_journey_history (
  tenant_id     VARCHAR(200) NOT NULL,
  enrolment_id  VARCHAR(64) NOT NULL,
  seq           INTEGER NOT NULL,
  step_id       VARCHAR(80) NOT NULL,
  at            BIGINT NOT NULL,
  outcome       VARCHAR(40) NOT NULL,
  detail        VARCHAR(1000) NOT NULL,
  PRIMARY KEY (tenant_id, enrolment_id, seq)
);
