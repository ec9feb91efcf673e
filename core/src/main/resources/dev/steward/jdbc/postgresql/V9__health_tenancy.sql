-- Steward schema version 9 for PostgreSQL: health is kept per tenant, and email engagement is kept
-- in a table so that it survives a restart and is shared by instances.
-- The same account id under two tenants is two accounts: the health history and the monitors'
-- band state gain a tenant_id that leads their keys. Rows written before version 9 belong to the
-- tenant 'default' (the column is added with that default, which is then dropped, so that every
-- later write names its tenant).
-- Changing a primary key rebuilds its index and blocks writes to the table while it runs.
-- Every statement is idempotent (dropping the key by name and adding it again); StewardSchema.bootstrap
-- runs this once, in one transaction under an advisory lock.

ALTER TABLE steward_health_record
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) COLLATE "C" NOT NULL DEFAULT 'default';

ALTER TABLE steward_health_record
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_health_record
  DROP CONSTRAINT IF EXISTS steward_health_record_pkey;

ALTER TABLE steward_health_record
  ADD CONSTRAINT steward_health_record_pkey PRIMARY KEY (tenant_id, account_id, as_of);

ALTER TABLE steward_health_band_state
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) COLLATE "C" NOT NULL DEFAULT 'default';

ALTER TABLE steward_health_band_state
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_health_band_state
  DROP CONSTRAINT IF EXISTS steward_health_band_state_pkey;

ALTER TABLE steward_health_band_state
  ADD CONSTRAINT steward_health_band_state_pkey PRIMARY KEY (tenant_id, monitor, account_id);

-- One row per engagement event of a tenant's account: mail that reached it (kind SENT: a provider's
-- delivered event, or the CSM's own mail recorded from outside the provider), unique opens and
-- clicks per message, replies (with their text, for sentiment), unsubscribes and spam reports.
-- event_id is the provider's event id or the caller's id for engagement recorded from outside;
-- the key makes recording idempotent. occurred_at is nanoseconds since the epoch (see EpochNanos).
-- message_id is the message opened or clicked, NULL when unknown. reply_text is NULL but for replies.
CREATE TABLE IF NOT EXISTS steward_engagement_event (
  tenant_id    VARCHAR(200) COLLATE "C" NOT NULL,
  account_id   VARCHAR(200) COLLATE "C" NOT NULL,
  event_id     VARCHAR(256) COLLATE "C" NOT NULL,
  kind         VARCHAR(16) NOT NULL,
  occurred_at  BIGINT NOT NULL,
  message_id   VARCHAR(256),
  reply_text   TEXT,
  PRIMARY KEY (tenant_id, account_id, event_id)
);

-- the window of one account is a range scan of this index
CREATE INDEX IF NOT EXISTS steward_engagement_event_time
  ON steward_engagement_event (tenant_id, account_id, occurred_at);

-- the retention purge removes old events of every tenant at once: the one index not led by tenant_id
CREATE INDEX IF NOT EXISTS steward_engagement_event_purge
  ON steward_engagement_event (occurred_at);
