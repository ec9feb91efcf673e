-- Steward schema version 24 for H2: a calendar entry kept in step with a plan kept
-- elsewhere (a journey's upcoming send, id 'journey:<enrolment id>') carries the plan's sequence
-- number. JdbcCalendarStore.putPlanned and cancelPlanned write such an entry in one statement,
-- without the scope locks of steward_calendar_lock, and only when the stored plan_seq is older
-- (or NULL: an entry written without a plan), so an older plan written late never overwrites a
-- later one. Rows written before version 24 have NULL.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once.

ALTER TABLE steward_calendar_entry
  ADD COLUMN IF NOT EXISTS plan_seq BIGINT;
