-- Steward schema version 6 for H2: consent keyed by tenant, and the per-tenant list of suppressed
-- email addresses.
-- Rows written before version 6 had no tenant; they belong to the tenant 'default' (the tenant the
-- event ingestor gives to events that name none). The column takes that value for the existing
-- rows only: the default is dropped at once, so a write that names no tenant fails.
-- Re-running this script is harmless: the primary key is dropped and added again over the same
-- columns.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

ALTER TABLE steward_consent
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) NOT NULL DEFAULT 'default';

ALTER TABLE steward_consent
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_consent
  DROP PRIMARY KEY;

ALTER TABLE steward_consent
  ADD CONSTRAINT steward_consent_pkey PRIMARY KEY (tenant_id, contact_id);

-- One row per tenant and address: a JSON document holding the address's active suppressions and
-- the newest removal of each, so a late or replayed event never undoes a later change; suppressed
-- is true while some suppression is in force (what a page of the list shows). document is NULL
-- only for the placeholder an update locks, inside its own transaction. address is
-- the address as EmailAddress normalises it (domain in lower case, local part as given).
CREATE TABLE IF NOT EXISTS steward_suppression (
  tenant_id  VARCHAR(200) NOT NULL,
  address    VARCHAR(254) NOT NULL,
  suppressed BOOLEAN NOT NULL,
  document   CHARACTER LARGE OBJECT,
  PRIMARY KEY (tenant_id, address)
);
