-- Steward schema version 4 for H2: the delivery ledger holds one record per message id (provider events
-- name the message, so a second record would make every event for it ambiguous), and the sweep for
-- unsettled sends reads an index instead of the whole table.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once.

-- Before version 4 a message dispatched under a second idempotency key got a second record. The
-- earliest record of each message id keeps it; each later one is renamed to an id that no caller
-- uses, so that it still guards its own idempotency key against a resend.
UPDATE steward_delivery_ledger d
  SET message_id = 'steward-superseded:'
    || LOWER(RAWTOHEX(HASH('SHA-256', STRINGTOUTF8(d.idempotency_key))))
  WHERE EXISTS (
    SELECT 1 FROM steward_delivery_ledger e
    WHERE e.message_id = d.message_id
      AND (e.updated_at < d.updated_at
        OR (e.updated_at = d.updated_at AND e.idempotency_key < d.idempotency_key)));

CREATE UNIQUE INDEX IF NOT EXISTS steward_delivery_ledger_message_id
  ON steward_delivery_ledger (message_id);

-- the unique index serves every lookup the plain one did
DROP INDEX IF EXISTS steward_delivery_ledger_message;

CREATE INDEX IF NOT EXISTS steward_delivery_ledger_status
  ON steward_delivery_ledger (status, updated_at);
