-- Steward schema version 25 for PostgreSQL: the delivery ledger's secondary indexes lead with the
-- account and the contact, no longer with the tenant. Before, three indexes of steward_delivery
-- began with tenant_id; with statistics that say the table is tiny (analysed while it was empty,
-- as on a new database until autovacuum analyses it again), PostgreSQL 17 costed a look-up by
-- primary key (tenant_id, idempotency_key) the same through (tenant_id, contact_id) and took that
-- one, filtering every record of the tenant: every send's look-up and outcome mark then cost more
-- the more the tenant had sent (0.57 ms at 1,000 records, against 0.006 ms by the key). Now the
-- primary key is the only index whose first column the look-up binds. The account's listing
-- (tenant, account, creation time) and the contact's erasure (tenant, contact) bind both leading
-- columns of their new indexes, as before.
-- The new indexes are built before the old ones go. CREATE INDEX blocks writes to the table while
-- it builds: on a large ledger, create them CONCURRENTLY beforehand under these names.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once.

CREATE INDEX IF NOT EXISTS steward_delivery_by_account
  ON steward_delivery (account_id, tenant_id, created_at);

CREATE INDEX IF NOT EXISTS steward_delivery_by_contact ON steward_delivery (contact_id, tenant_id);

DROP INDEX IF EXISTS steward_delivery_account;

DROP INDEX IF EXISTS steward_delivery_contact;
