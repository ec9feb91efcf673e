-- Steward schema version 20 for PostgreSQL: the consent change feed (ConsentChangeFeed).
-- steward_consent.change_seq: the number of the contact's latest consent change; NULL for consent
-- stored before this version, which joins the feed when it next changes.
-- steward_consent_change: one row (id 1) counting the numbers given; an update locks it for its last
-- step, so numbers are committed in the order they were given.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

ALTER TABLE steward_consent ADD COLUMN IF NOT EXISTS change_seq BIGINT;

CREATE INDEX IF NOT EXISTS steward_consent_change_seq ON steward_consent (change_seq);

CREATE TABLE IF NOT EXISTS steward_consent_change (
  id          INTEGER NOT NULL,
  last_seq    BIGINT NOT NULL,
  PRIMARY KEY (id)
);

INSERT INTO steward_consent_change (id, last_seq)
  SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM steward_consent_change WHERE id = 1);
