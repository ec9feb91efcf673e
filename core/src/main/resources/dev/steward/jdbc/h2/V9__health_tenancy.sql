-- Steward schema version 9 for H2: health is kept per tenant, and email engagement is kept in a
-- table so that it survives a restart and is shared by instances.
-- The same account id under two tenants is two accounts: the health history and the monitors'
-- band state gain a tenant_id that leads their keys. Rows written before version 9 belong to the
-- tenant 'default' (the column is added with that default, which is then dropped, so that every
-- later write names its tenant).
-- H2 names a primary key itself, so DROP PRIMARY KEY removes the version-2 key (or, run again, the
-- named key this script adds back at once); H2 commits each DDL statement, so only a crash between
-- those two statements would leave a table without a key for a second run to find.
-- StewardSchema.bootstrap runs this once, under a JVM-wide lock.

ALTER TABLE steward_health_record
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) DEFAULT 'default' NOT NULL;

ALTER TABLE steward_health_record
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_health_record
  DROP PRIMARY KEY;

ALTER TABLE steward_health_record
  ADD CONSTRAINT IF NOT EXISTS steward_health_record_pkey PRIMARY KEY (tenant_id, account_id, as_of);

ALTER TABLE steward_health_band_state
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) DEFAULT 'default' NOT NULL;

ALTER TABLE steward_health_band_state
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_health_band_state
  DROP PRIMARY KEY;

ALTER TABLE steward_health_band_state
  ADD CONSTRAINT IF NOT EXISTS steward_health_band_state_pkey PRIMARY KEY (tenant_id, monitor, account_id);

-- One row per engagement event of a tenant's account: mail that reached it (kind SENT: a provider's
-- delivered event, or the CSM's own mail recorded from outside the provider), unique opens and
-- clicks per message, replies (with their text, for sentiment), unsubscribes and spam reports.
-- event_id is the provider's event id or the caller's id for engagement recorded from outside;
-- the key makes recording idempotent. occurred_at is nanoseconds since the epoch (see EpochNanos).
-- message_id is the message opened or clicked, NULL when unknown. reply_text is NULL but for replies.
CREATE TABLE IF NOT EXISTS steward_engagement_event (
  tenant_id    VARCHAR(200) NOT NULL,
  account_id   VARCHAR(200) NOT NULL,
  event_id     VARCHAR(256) NOT NULL,
  kind         VARCHAR(16) NOT NULL,
  occurred_at  BIGINT NOT NULL,
  message_id   VARCHAR(256),
  reply_text   CHARACTER LARGE OBJECT,
  PRIMARY KEY (tenant_id, account_id, event_id)
);

-- the window of one account is a range scan of this index
CREATE INDEX IF NOT EXISTS steward_engagement_event_time
  ON steward_engagement_event (tenant_id, account_id, occurred_at);

-- the retention purge removes old events of every tenant at once: the one index not led by tenant_id
CREATE INDEX IF NOT EXISTS steward_engagement_event_purge
  ON steward_engagement_event (occurred_at);
