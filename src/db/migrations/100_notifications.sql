-- Customer notifications: workflows as data, the runs they plan, the messages they send, and
-- each customer's consent.

-- Workflows in force. The workflows file writes source 'file' (reloading replaces only those);
-- the API writes 'api'. A paused workflow plans nothing and sends nothing still pending.
CREATE TABLE notification_workflows (
  id            text PRIMARY KEY,
  definition    jsonb NOT NULL,
  source        text NOT NULL DEFAULT 'api' CHECK (source IN ('file', 'api')),
  paused        boolean NOT NULL DEFAULT false,
  paused_reason text NOT NULL DEFAULT '',
  paused_by     text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One workflow started by one trigger for one customer. dedupe_key names the happening (say
-- shipment 12 delivered), so the same happening never starts the same workflow twice for a
-- customer, however often its events arrive. cursor is where in the steps the run stands.
CREATE TABLE notification_runs (
  id             bigserial PRIMARY KEY,
  workflow_id    text NOT NULL,
  customer_id    text NOT NULL,
  order_id       text,
  shipment_id    bigint,
  trigger        text NOT NULL,
  dedupe_key     text NOT NULL,
  trigger_data   jsonb NOT NULL DEFAULT '{}'::jsonb,
  cursor         jsonb NOT NULL DEFAULT '[0]'::jsonb,
  status         text NOT NULL DEFAULT 'scheduled'
                   CHECK (status IN ('scheduled', 'running', 'done', 'cancelled', 'failed')),
  due_at         timestamptz NOT NULL,
  lease_until    timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  outcome_detail text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, customer_id, dedupe_key)
);
CREATE INDEX notification_runs_due ON notification_runs (due_at) WHERE status IN ('scheduled', 'running');
CREATE INDEX notification_runs_order ON notification_runs (order_id, id);

-- Every message a run rendered, sent or not. idempotency_key is fixed before the send, so a
-- retry after a crash hands the provider the same key (Message-ID, Twilio request) and never a
-- second message.
CREATE TABLE notification_messages (
  id              bigserial PRIMARY KEY,
  run_id          bigint REFERENCES notification_runs(id),
  resend_of       bigint REFERENCES notification_messages(id),
  workflow_id     text NOT NULL,
  template        text NOT NULL,
  category        text NOT NULL CHECK (category IN ('transactional', 'marketing')),
  customer_id     text NOT NULL,
  order_id        text,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient       text NOT NULL,
  subject         text NOT NULL DEFAULT '',
  body_text       text NOT NULL,
  body_html       text,
  idempotency_key text NOT NULL UNIQUE,
  -- queued → sending → sent (handed to SMTP / accepted by Twilio) → delivered | undelivered | failed
  status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')),
  -- The Message-ID for email, the Message SID for SMS.
  provider_id     text,
  error           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notification_messages_order ON notification_messages (order_id, id);
CREATE INDEX notification_messages_provider ON notification_messages (provider_id);

-- What a customer agreed to. Transactional messages (their order's progress) are on unless
-- turned off; marketing needs a yes. A STOP from their phone stops every SMS until START.
CREATE TABLE notification_preferences (
  customer_id          text PRIMARY KEY REFERENCES customers(id),
  channel              text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms', 'both')),
  email_transactional  boolean NOT NULL DEFAULT true,
  sms_transactional    boolean NOT NULL DEFAULT true,
  email_marketing      boolean NOT NULL DEFAULT false,
  sms_marketing        boolean NOT NULL DEFAULT false,
  sms_stopped_at       timestamptz,
  updated_by           text NOT NULL DEFAULT '',
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Text messages customers sent us (STOP, START, HELP or a question), stored once per Message SID.
CREATE TABLE sms_inbound (
  message_sid  text PRIMARY KEY,
  from_number  text NOT NULL,
  to_number    text NOT NULL,
  body         text NOT NULL DEFAULT '',
  customer_id  text,
  action       text NOT NULL DEFAULT 'none',
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- Secrets orderops makes itself when none is configured (the link-signing key), shared by every
-- process on the database.
CREATE TABLE app_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE email_messages DROP CONSTRAINT email_messages_source_check;
ALTER TABLE email_messages ADD CONSTRAINT email_messages_source_check
  CHECK (source IN ('smtp', 'imap', 'webhook', 'reply', 'approval-outcome', 'handoff', 'confirmation', 'notification'));
