-- One row per store day whose briefing was posted to the alerts channel: the record that keeps a
-- restart or a second worker from posting the same day's briefing twice.
CREATE TABLE slack_daily_briefings (
  store_day   date PRIMARY KEY,
  channel     text NOT NULL,
  ts          text,
  claimed_at  timestamptz NOT NULL DEFAULT now(),
  posted_at   timestamptz
);
