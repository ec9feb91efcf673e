-- Steward schema version 17 for PostgreSQL: human tasks of journeys (dev.steward.journey, JdbcTaskStore).
-- steward_journey_task holds one row per task: where it came from (journey, enrolment, step), whom
-- it is about (account, contact), who acts on it (owner; second_owner it escalates to), the
-- suggested and the edited email as JSON, its dates, its state and how it ended. A task is
-- inserted once (its id derives from the enrolment and the step's sequence number) and changed
-- only by UPDATE ... WHERE state = ? (compare-and-set), so a reminder, an escalation, a completion
-- or an expiry is applied once across instances. Times are BIGINT nanoseconds since the epoch of
-- the application's clock. Every key starts with the tenant.
-- Every statement is idempotent; StewardSchema.bootstrap runs this once, under an advisory lock.

CREATE TABLE IF NOT EXISTS steward_journey_task (
  tenant_id      VARCHAR(200) COLLATE "C" NOT NULL,
  task_id        VARCHAR(100) COLLATE "C" NOT NULL,
  journey_id     VARCHAR(80) NOT NULL,
  enrolment_id   VARCHAR(64) NOT NULL,
  step_id        VARCHAR(80) NOT NULL,
  task           VARCHAR(200) NOT NULL,
  account_id     VARCHAR(200) COLLATE "C" NOT NULL,
  contact_id     VARCHAR(200) COLLATE "C" NOT NULL,
  owner          VARCHAR(200) COLLATE "C" NOT NULL,
  second_owner   VARCHAR(200),
  suggested      TEXT,
  due_at         BIGINT NOT NULL,
  remind_at      BIGINT NOT NULL,
  escalate_at    BIGINT NOT NULL,
  state          VARCHAR(20) NOT NULL,
  outcome        VARCHAR(20),
  reason         VARCHAR(1000),
  edited         TEXT,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  closed_at      BIGINT,
  PRIMARY KEY (tenant_id, task_id)
);

-- an owner's tasks by state (open lists, reports)
CREATE INDEX IF NOT EXISTS steward_journey_task_owner
  ON steward_journey_task (tenant_id, owner, state, task_id);

CREATE INDEX IF NOT EXISTS steward_journey_task_account
  ON steward_journey_task (tenant_id, account_id, task_id);

CREATE INDEX IF NOT EXISTS steward_journey_task_contact
  ON steward_journey_task (tenant_id, contact_id);
