-- Steward schema version 19 for PostgreSQL: each granted pilot reservation named by the token its
-- call chose, so that a reservation's transaction run again after a lost commit acknowledgement
-- finds itself and adds no second hold.
-- steward_pilot_reservation: one row per granted reserve() call (token: chosen by the call before
-- its first run), with the count the day held before it (used), so that the repeated run answers
-- what the first answered. Purged with the day's sends.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_pilot_reservation (
  tenant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  epoch_day   BIGINT NOT NULL,
  token       VARCHAR(36) COLLATE "C" NOT NULL,
  message_id  VARCHAR(200) COLLATE "C" NOT NULL,
  used        BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, epoch_day, token)
);
