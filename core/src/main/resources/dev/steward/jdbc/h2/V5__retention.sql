-- Steward schema version 5 for H2: retention. A cap-ledger row records when its log was last
-- active, so that the purge of logs no rule reads any more finds them through an index instead of
-- decoding every log.
-- last_at: nanoseconds since the epoch of the log's newest entry; 9223372036854775807 (never idle)
-- when the log holds a journey admission, which only leaving the journey removes; NULL for a row
-- last written before version 5 (or by an older library), filled in by its next write or by the
-- purge, which reads such rows in bounded batches. Filling it here would rewrite every row in
-- the upgrade, and SQL cannot read the log's format anyway.
-- The delivery ledger's purge of settled records uses the (status, updated_at) index of version 4;
-- the purge of event marks the seen_at index of version 1.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

ALTER TABLE steward_cap_ledger ADD COLUMN IF NOT EXISTS last_at BIGINT;

CREATE INDEX IF NOT EXISTS steward_cap_ledger_last_at ON steward_cap_ledger (last_at);
