-- Steward schema version 27 for H2: the journey enrolments' contact index leads with the contact,
-- no longer with the tenant, as versions 25 and 26 did for the delivery ledger and the calendar.
-- Before, it began with tenant_id; with statistics that say the table is tiny (analysed while it
-- was empty, as on a new database until autovacuum analyses it again), PostgreSQL 17 served a
-- look-up by primary key (tenant_id, enrolment_id) through (tenant_id, contact_id, entered_at),
-- filtering every enrolment of the tenant: each enrolment's check for the contact's other journeys
-- and each step's read of its enrolment cost more the more the tenant had enrolled (0.25 ms and
-- 1,250 buffer hits a look-up at 10,000 enrolments, against a few by the key). Now the primary key
-- is the only index whose first column such a look-up binds. The contact's enrolments (tenant,
-- contact, in the order entered) and the contact's erasure bind the leading columns of the new
-- index, as before.
-- The new index is built before the old one goes. CREATE INDEX blocks writes to the table while it
-- builds: on a large journey store, create it CONCURRENTLY beforehand under this name.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once.

CREATE INDEX IF NOT EXISTS steward_journey_enrolment_by_contact
  ON steward_journey_enrolment (contact_id, tenant_id, entered_at);

DROP INDEX IF EXISTS steward_journey_enrolment_contact;
