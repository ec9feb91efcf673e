-- Steward schema version 12 for postgresql: sending governance.
-- steward_governance_bucket: counts per tenant (tenant_id; '' for a pool's counts over all its
-- tenants) and pool (pool; '' for the tenant's mail through every pool), per hourly or daily bucket
-- (bucket = whole hours or days since the epoch). Instances add to a row with an upsert that adds,
-- so no count is lost.
-- steward_governance_mark: the events counted, by tenant and event id, so that an event applied
-- again counts nothing; purged by occurred_at (nanoseconds since the epoch).
-- steward_governance_recipient: per tenant and address, the first send and the latest open or click
-- (nanoseconds since the epoch), for the share of mail sent to inactive addresses.
-- steward_governance_standing: each tenant's standing on the escalation ladder as a JSON document.
-- Every statement is idempotent.

CREATE TABLE IF NOT EXISTS steward_governance_bucket (
  tenant_id        VARCHAR(200) COLLATE "C" NOT NULL,
  pool             VARCHAR(100) COLLATE "C" NOT NULL,
  granularity      VARCHAR(4) NOT NULL,
  bucket           BIGINT NOT NULL,
  processed        BIGINT NOT NULL,
  delivered        BIGINT NOT NULL,
  hard_bounce      BIGINT NOT NULL,
  blocked          BIGINT NOT NULL,
  invalid          BIGINT NOT NULL,
  spam_report      BIGINT NOT NULL,
  unsubscribe      BIGINT NOT NULL,
  deferred         BIGINT NOT NULL,
  sent_to_inactive BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, pool, granularity, bucket)
);

CREATE INDEX IF NOT EXISTS steward_governance_bucket_age
  ON steward_governance_bucket (granularity, bucket);

CREATE TABLE IF NOT EXISTS steward_governance_mark (
  tenant_id        VARCHAR(200) COLLATE "C" NOT NULL,
  event_id         VARCHAR(256) COLLATE "C" NOT NULL,
  occurred_at      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX IF NOT EXISTS steward_governance_mark_age ON steward_governance_mark (occurred_at);

CREATE TABLE IF NOT EXISTS steward_governance_recipient (
  tenant_id        VARCHAR(200) COLLATE "C" NOT NULL,
  address          VARCHAR(254) COLLATE "C" NOT NULL,
  first_sent       BIGINT NOT NULL,
  last_engaged     BIGINT,
  PRIMARY KEY (tenant_id, address)
);

CREATE TABLE IF NOT EXISTS steward_governance_standing (
  tenant_id        VARCHAR(200) COLLATE "C" NOT NULL PRIMARY KEY,
  level            VARCHAR(16),
  document         TEXT
);
