-- The outbox is the durable source of its events: an event is done only when every handler of its
-- topic has run. A worker claims a row by setting locked_until (a lease: a worker killed mid-event
-- leaves a lease that simply runs out), counts the attempt, and on failure pushes next_attempt_at
-- out with exponential backoff. After the last attempt the row is dead and copied to failed_jobs.
ALTER TABLE outbox
  ADD COLUMN attempts        int NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN locked_until    timestamptz,
  ADD COLUMN last_error      text,
  ADD COLUMN done_at         timestamptz,
  ADD COLUMN dead_at         timestamptz;
-- Rows the old relay handed to the queue count as done.
UPDATE outbox SET done_at = relayed_at WHERE relayed_at IS NOT NULL;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE done_at IS NULL AND dead_at IS NULL;

-- One row per (event, handler) that has run, so a retried event runs only the handlers still owed.
-- Written only for topics with several handlers: for a lone handler, done_at is its marker.
CREATE TABLE outbox_handled (
  outbox_id   bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  handler     text NOT NULL,
  handled_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (outbox_id, handler)
);

-- The dead-letter list: jobs and outbox events that failed their last attempt. A retry re-enqueues
-- the job once and records who asked; the row stays as the record.
CREATE TABLE failed_jobs (
  id          bigserial PRIMARY KEY,
  queue       text NOT NULL,
  job_id      text NOT NULL,
  payload     jsonb NOT NULL,
  error       text NOT NULL,
  attempts    int NOT NULL,
  failed_at   timestamptz NOT NULL DEFAULT now(),
  retried_at  timestamptz,
  retried_by  text
);
-- One open dead letter per job: a job that fails again after a retry gets a new row.
CREATE UNIQUE INDEX failed_jobs_open ON failed_jobs (queue, job_id) WHERE retried_at IS NULL;

-- Sale movements already counted in the demand forecast, so a redelivered event counts once.
CREATE TABLE anomaly_demand_movements (
  movement_id bigint PRIMARY KEY,
  counted_at  timestamptz NOT NULL DEFAULT now()
);
