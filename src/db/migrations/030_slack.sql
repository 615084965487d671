-- Slack channel state: which inbound messages already started a turn, which threads the bot
-- takes part in, where each approval message lives, and the alerts posted to the alerts channel.

-- One row per Slack message that started work; Slack retries and the app_mention/message pair
-- for the same message hit the primary key and start nothing.
CREATE TABLE slack_inbound_messages (
  channel       text NOT NULL,
  ts            text NOT NULL,
  event_id      text,
  user_id       text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, ts)
);

-- Threads the bot was mentioned in or answered in: a plain reply there is meant for the bot.
CREATE TABLE slack_threads (
  channel       text NOT NULL,
  thread_ts     text NOT NULL,
  started_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, thread_ts)
);

-- The message that carries an approval's buttons, so decisions and expiry can update it. The row
-- is claimed before posting (ts still null) so the in-process hook and the catch-up sweep never
-- both post one approval; shown_status is the status the message shows now.
CREATE TABLE slack_approval_messages (
  approval_id   text PRIMARY KEY,
  channel       text NOT NULL,
  ts            text,
  thread_ts     text,
  shown_status  text NOT NULL DEFAULT 'pending',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slack_alerts (
  id            text PRIMARY KEY,
  subject       text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  reasons       jsonb NOT NULL DEFAULT '[]'::jsonb,
  actions       jsonb NOT NULL DEFAULT '[]'::jsonb,
  dedupe_key    text UNIQUE,
  channel       text,
  ts            text,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX slack_alerts_open ON slack_alerts (created_at) WHERE status = 'open';
