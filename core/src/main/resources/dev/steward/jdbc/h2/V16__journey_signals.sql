-- Steward schema version 16 for H2: opens and clicks remembered for journey waits
-- (dev.steward.journey, JdbcJourneyStore). steward_journey_signal keeps the first open and the
-- first click of each message an unfinished enrolment sent, so that a wait for the open that begins
-- only later (after a pause, or once a deferred message went out) is satisfied by it. A row is
-- written under the enrolment row's lock (SELECT ... FOR UPDATE) and names the contact, so that an
-- erasure, which deletes the enrolments and then the contact's signals, never leaves one behind.
-- Times are BIGINT nanoseconds since the epoch of the application's clock.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_journey_signal (
  tenant_id     VARCHAR(200) NOT NULL,
  enrolment_id  VARCHAR(64) NOT NULL,
  message_id    VARCHAR(200) NOT NULL,
  event         VARCHAR(20) NOT NULL,
  contact_id    VARCHAR(200) NOT NULL,
  at            BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, enrolment_id, message_id, event)
);

CREATE INDEX IF NOT EXISTS steward_journey_signal_contact
  ON steward_journey_signal (tenant_id, contact_id);
