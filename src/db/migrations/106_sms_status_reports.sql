-- Every delivery report Twilio sent for a text message, as it arrived, once per (Message SID,
-- status): the audit of what the carrier said, and what a message's status is rebuilt from when a
-- report arrives before the message's SID is recorded.
CREATE TABLE sms_status_reports (
  message_sid     text NOT NULL,
  message_status  text NOT NULL,
  error_code      text,
  params          jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_sid, message_status)
);
