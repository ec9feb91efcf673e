-- Steward schema version 18 for H2: pilot reservations held by more than one dispatch, and the
-- IP-pool store's erasure tombstones.
-- steward_pilot_send.holds: how many dispatches hold the message's reservation. One message
-- dispatched twice at once passes the tenant gate twice on one count; each dispatch that does not
-- send gives back only its own hold, and the message leaves the day's count with the last hold, so
-- the loser of the two never uncounts the winner's sent message.
-- steward_ippool_erasure: when each erased tenant's pool assignments were erased (nanoseconds since
-- the epoch), so that a plan made before the erasure and applied after it is stale and writes
-- nothing of the tenant again.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under a JVM-wide lock.

ALTER TABLE steward_pilot_send ADD COLUMN IF NOT EXISTS holds INTEGER DEFAULT 1 NOT NULL;

CREATE TABLE IF NOT EXISTS steward_ippool_erasure (
  tenant_id   VARCHAR(200) NOT NULL,
  erased_at   BIGINT NOT NULL,
  PRIMARY KEY (tenant_id)
);
