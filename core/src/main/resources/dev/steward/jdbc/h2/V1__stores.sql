-- Steward schema version 1 for H2 2.x: the stores of the send pipeline, consent and caps.
-- Instants are BIGINT nanoseconds since the epoch (see EpochNanos): no session time zone can shift
-- them. H2 compares strings as Java does, so ids need no collation.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

CREATE TABLE IF NOT EXISTS steward_deferred_message (
  message_id   VARCHAR(200) NOT NULL PRIMARY KEY,
  contact_id   VARCHAR(200) NOT NULL,
  due_at       BIGINT NOT NULL,
  attempts     INTEGER NOT NULL,
  reason       CHARACTER LARGE OBJECT NOT NULL,
  message      CHARACTER LARGE OBJECT NOT NULL,
  lease_owner  VARCHAR(200),
  lease_until  BIGINT
);

CREATE INDEX IF NOT EXISTS steward_deferred_message_due
  ON steward_deferred_message (due_at, message_id);

CREATE INDEX IF NOT EXISTS steward_deferred_message_contact
  ON steward_deferred_message (contact_id, due_at);

CREATE TABLE IF NOT EXISTS steward_delivery_ledger (
  idempotency_key      VARCHAR(200) NOT NULL PRIMARY KEY,
  message_id           VARCHAR(200) NOT NULL,
  status               VARCHAR(16) NOT NULL,
  provider_message_id  VARCHAR(1000),
  updated_at           BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS steward_event_seen (
  event_id  VARCHAR(200) NOT NULL PRIMARY KEY,
  seen_at   BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS steward_event_seen_at ON steward_event_seen (seen_at);

CREATE TABLE IF NOT EXISTS steward_consent (
  contact_id  VARCHAR(200) NOT NULL PRIMARY KEY,
  document    CHARACTER LARGE OBJECT
);

CREATE TABLE IF NOT EXISTS steward_calendar_entry (
  entry_id     VARCHAR(200) NOT NULL PRIMARY KEY,
  entry_type   VARCHAR(16) NOT NULL,
  status       VARCHAR(16) NOT NULL,
  account_id   VARCHAR(200) NOT NULL,
  contact_id   VARCHAR(200),
  team         VARCHAR(200),
  kind         VARCHAR(16),
  category     VARCHAR(200),
  channel      VARCHAR(16),
  campaign     VARCHAR(200),
  occurs_at    BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS steward_calendar_entry_account
  ON steward_calendar_entry (account_id, occurs_at);

CREATE INDEX IF NOT EXISTS steward_calendar_entry_contact
  ON steward_calendar_entry (contact_id, occurs_at);

CREATE TABLE IF NOT EXISTS steward_cap_ledger (
  subject   VARCHAR(256) NOT NULL PRIMARY KEY,
  send_log  VARBINARY NOT NULL
);
