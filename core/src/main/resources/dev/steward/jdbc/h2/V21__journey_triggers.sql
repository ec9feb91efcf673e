-- Steward schema version 21 for H2: state of journey entry triggers (dev.steward.journey,
-- JourneyTriggers, JdbcTriggerStore). steward_journey_segment keeps, per contact and journey with
-- a segment trigger, whether the contact matched when last evaluated and how many times it has
-- entered the segment (the generation names the enrolment of each entry); it is changed only by an
-- UPDATE that names the in_segment flag and generation it read, so an entry is decided once across
-- instances. steward_journey_contact_event keeps contact events (logins, provider events) for the
-- event counts of segments, once per tenant and event id.
-- Times are BIGINT nanoseconds since the epoch of the application's clock.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_journey_segment (
  tenant_id     VARCHAR(200) NOT NULL,
  contact_id    VARCHAR(200) NOT NULL,
  journey_id    VARCHAR(80) NOT NULL,
  in_segment    BOOLEAN NOT NULL,
  generation    INTEGER NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, contact_id, journey_id)
);

CREATE TABLE IF NOT EXISTS steward_journey_contact_event (
  tenant_id     VARCHAR(200) NOT NULL,
  event_id      VARCHAR(200) NOT NULL,
  contact_id    VARCHAR(200) NOT NULL,
  name          VARCHAR(100) NOT NULL,
  at            BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX IF NOT EXISTS steward_journey_contact_event_count
  ON steward_journey_contact_event (tenant_id, contact_id, name, at);

CREATE INDEX IF NOT EXISTS steward_journey_contact_event_at
  ON steward_journey_contact_event (at);
