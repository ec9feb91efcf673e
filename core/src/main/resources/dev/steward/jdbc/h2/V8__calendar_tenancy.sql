-- Steward schema version 8 for H2: the communication calendar is scoped by tenant, and scheduling
-- checks conflicts under a lock that holds across instances.
-- An entry is keyed by (tenant_id, entry_id): ids are unique within a tenant only, and the same
-- account or contact id under two tenants is two subjects. Rows written before version 8 belong to
-- the tenant 'default'; the column keeps no default afterwards, so a writer that forgets the
-- tenant fails instead of filing the row under 'default'.
-- steward_calendar_lock holds one row per (tenant, scope) that a conflict check has locked, where
-- scope is 'a:' followed by an account id or 'c:' followed by a contact id: a booking locks the
-- rows of the candidate's account and contact by incrementing their bookings count (an UPDATE, so
-- that under REPEATABLE READ a booking that raced ours fails to serialize and is run again instead
-- of reading an old snapshot), reads, checks the rules and writes in one transaction, so two
-- instances never both book entries that conflict. Erasing a contact or a tenant deletes its lock
-- rows too.
-- The primary key of version 1 was unnamed, so it is dropped as the table's primary key; the new
-- one is named, and running the script again drops and re-creates it.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

ALTER TABLE steward_calendar_entry
  ADD COLUMN IF NOT EXISTS tenant_id VARCHAR(200) DEFAULT 'default' NOT NULL;

ALTER TABLE steward_calendar_entry
  ALTER COLUMN tenant_id DROP DEFAULT;

ALTER TABLE steward_calendar_entry
  DROP PRIMARY KEY;

ALTER TABLE steward_calendar_entry
  ADD CONSTRAINT steward_calendar_entry_pkey PRIMARY KEY (tenant_id, entry_id);

DROP INDEX IF EXISTS steward_calendar_entry_account;

DROP INDEX IF EXISTS steward_calendar_entry_contact;

CREATE INDEX IF NOT EXISTS steward_calendar_entry_tenant_account
  ON steward_calendar_entry (tenant_id, account_id, occurs_at);

CREATE INDEX IF NOT EXISTS steward_calendar_entry_tenant_contact
  ON steward_calendar_entry (tenant_id, contact_id, occurs_at);

CREATE TABLE IF NOT EXISTS steward_calendar_lock (
  tenant_id  VARCHAR(200) NOT NULL,
  scope      VARCHAR(210) NOT NULL,
  bookings   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, scope)
);
