-- Steward schema version 10 for H2: the delivery ledger belongs to tenants. An idempotency
-- key is unique within its tenant (two tenants may use the same key), and a record names the
-- account and contact it was sent to and when the intent was written, so that the ledger answers by
-- account and time range and erases a contact or a tenant.
-- The key changes, so the records move to a new table. A record whose message still has its
-- deferred work item (a retry pending, an unknown outcome being watched) takes that item's tenant
-- and contact (the item's subject), so that its dispatcher finds it again. Any other record,
-- settled before the upgrade, belongs to tenant 'default': no table says which tenant sent it, so
-- its idempotency key keeps guarding a resend under 'default' only. Accounts, and the contacts of
-- those records, were never recorded and read 'unknown-before-v10'; the intent time is taken to be
-- the record's last change.
-- Message ids stay unique across tenants: provider events name the message id alone.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once. H2 commits each
-- statement, so after a crash mid-way any of them may run again.

CREATE TABLE IF NOT EXISTS steward_delivery (
  tenant_id            VARCHAR(200) NOT NULL,
  idempotency_key      VARCHAR(200) NOT NULL,
  message_id           VARCHAR(200) NOT NULL,
  account_id           VARCHAR(200) NOT NULL,
  contact_id           VARCHAR(200) NOT NULL,
  status               VARCHAR(16) NOT NULL,
  provider_message_id  VARCHAR(1000),
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
);

-- a database that lost the old table in an interrupted upgrade still runs the copy below
CREATE TABLE IF NOT EXISTS steward_delivery_ledger (
  idempotency_key      VARCHAR(200) NOT NULL PRIMARY KEY,
  message_id           VARCHAR(200) NOT NULL,
  status               VARCHAR(16) NOT NULL,
  provider_message_id  VARCHAR(1000),
  updated_at           BIGINT NOT NULL
);

INSERT INTO steward_delivery (tenant_id, idempotency_key, message_id, account_id, contact_id,
    status, provider_message_id, created_at, updated_at)
  SELECT COALESCE(w.tenant_id, 'default'), l.idempotency_key, l.message_id, 'unknown-before-v10',
      COALESCE(NULLIF(w.subject, ''), 'unknown-before-v10'), l.status, l.provider_message_id, l.updated_at,
      l.updated_at
  FROM steward_delivery_ledger l
  LEFT JOIN steward_work w
    ON w.kind = 'steward.deferred-message' AND w.item_id = l.message_id
  WHERE NOT EXISTS (SELECT 1 FROM steward_delivery d WHERE d.message_id = l.message_id);

DROP TABLE IF EXISTS steward_delivery_ledger;

CREATE UNIQUE INDEX IF NOT EXISTS steward_delivery_message_id ON steward_delivery (message_id);

CREATE INDEX IF NOT EXISTS steward_delivery_status ON steward_delivery (status, updated_at);

CREATE INDEX IF NOT EXISTS steward_delivery_account
  ON steward_delivery (tenant_id, account_id, created_at);

CREATE INDEX IF NOT EXISTS steward_delivery_contact ON steward_delivery (tenant_id, contact_id);
