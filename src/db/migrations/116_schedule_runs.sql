-- The last run of each periodic task, claimed by one process per period: with several workers on
-- one database, a sweep runs once per period instead of once per worker.
CREATE TABLE schedule_runs (
  name          text PRIMARY KEY,
  last_run_at   timestamptz NOT NULL,
  holder        text NOT NULL
);
