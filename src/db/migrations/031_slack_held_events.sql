-- Slack events that arrived, correctly signed, while orderops was still connecting to Slack's Web
-- API. They were acknowledged (so Slack neither retries nor disables the subscription) and are
-- replayed through the listeners once connected; a row is deleted only after its replay.
CREATE TABLE slack_held_events (
  event_id      text PRIMARY KEY,
  body          jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX slack_held_events_received ON slack_held_events (received_at);
