-- Steward schema version 26 for H2: the calendar's secondary indexes lead with the account and
-- the contact, no longer with the tenant, as version 25 did for the delivery ledger. Before, both
-- began with tenant_id; with statistics that say the table is tiny (analysed while it was empty,
-- as on a new database until autovacuum analyses it again), PostgreSQL 17 could serve a look-up
-- by primary key (tenant_id, entry_id) through (tenant_id, contact_id, occurs_at), filtering every
-- entry of the tenant, so each journey step's calendar write cost more the more the tenant had
-- planned. Now the primary key is the only index whose first column such a look-up binds. The
-- account's and the contact's listings (tenant, account or contact, time range) and the contact's
-- erasure bind the leading columns of the new indexes, as before.
-- The new indexes are built before the old ones go. CREATE INDEX blocks writes to the table while
-- it builds: on a large calendar, create them CONCURRENTLY beforehand under these names.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once.

CREATE INDEX IF NOT EXISTS steward_calendar_entry_by_account
  ON steward_calendar_entry (account_id, tenant_id, occurs_at);

CREATE INDEX IF NOT EXISTS steward_calendar_entry_by_contact
  ON steward_calendar_entry (contact_id, tenant_id, occurs_at);

DROP INDEX IF EXISTS steward_calendar_entry_tenant_account;

DROP INDEX IF EXISTS steward_calendar_entry_tenant_contact;
