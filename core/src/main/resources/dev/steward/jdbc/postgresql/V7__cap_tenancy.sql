-- Steward schema version 7 for PostgreSQL: the cap ledger is scoped by tenant. The same contact or
-- account id under two tenants is two send logs, so a row's key becomes (tenant_id, subject).
-- Rows written before this version belong to the tenant 'default' (single-tenant installations).
-- The default is dropped afterwards, so that every write names its tenant.
-- The primary key leads with tenant_id, so that a tenant's rows are one range of its index (erasure
-- of a tenant); the last_at index of version 5 stays as it is: retention purges across tenants.
-- The key change rewrites the primary key index and blocks writes to the table while it runs.
-- Every statement is idempotent (dropping and adding the key again gives the same key);
-- StewardSchema.bootstrap runs this once.

ALTER TABLE steward_cap_ledger
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) COLLATE "C" NOT NULL DEFAULT 'default';

ALTER TABLE steward_cap_ledger ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_cap_ledger DROP CONSTRAINT IF EXISTS steward_cap_ledger_pkey;

ALTER TABLE steward_cap_ledger
  ADD CONSTRAINT steward_cap_ledger_pkey PRIMARY KEY (tenant_id, subject);
