-- Email channel: threads keyed by their root Message-ID (the agent's conversation thread key),
-- every message in and out keyed by Message-ID, hand-offs with a drafted reply, and approval
-- outcome notices sent once.

CREATE TABLE email_threads (
  id               bigserial PRIMARY KEY,
  -- The first message's Message-ID; also the agent conversation's thread key (channel 'email').
  root_message_id  text NOT NULL UNIQUE,
  -- The customer side of the thread, lower-cased: replies only join a thread from this address.
  counterpart      text NOT NULL,
  subject          text NOT NULL DEFAULT '',
  customer_id      text REFERENCES customers(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_threads_counterpart ON email_threads (counterpart, id);

CREATE TABLE email_messages (
  message_id       text PRIMARY KEY,
  -- Null for inbound mail that was ignored before threading (loops, bounces, lists).
  thread_id        bigint REFERENCES email_threads(id),
  direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  source           text NOT NULL CHECK (source IN ('smtp', 'imap', 'webhook', 'reply', 'approval-outcome', 'handoff')),
  counterpart      text NOT NULL,
  from_address     text NOT NULL,
  to_addresses     text[] NOT NULL DEFAULT '{}',
  subject          text NOT NULL DEFAULT '',
  in_reply_to      text,
  reference_ids    text[] NOT NULL DEFAULT '{}',
  -- Inbound: the cleaned text the model saw; outbound: the text we sent.
  body_text        text NOT NULL DEFAULT '',
  -- Inbound: what we did with it (answered, asked_to_verify, approval_requested, handed_off,
  -- ignored, rate_limited, failed); outbound: sent or queued.
  outcome          text NOT NULL DEFAULT 'received',
  outcome_detail   text NOT NULL DEFAULT '',
  sender_verified  boolean,
  customer_id      text,
  size_bytes       integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_messages_thread ON email_messages (thread_id, created_at);
-- Rate limit: replies sent to one address in the last hour.
CREATE INDEX email_messages_replies ON email_messages (counterpart, created_at) WHERE direction = 'outbound';

CREATE TABLE email_handoffs (
  id               bigserial PRIMARY KEY,
  thread_id        bigint NOT NULL REFERENCES email_threads(id),
  message_id       text NOT NULL REFERENCES email_messages(message_id),
  draft_reply      text NOT NULL,
  reason           text NOT NULL DEFAULT '',
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent', 'closed')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz
);
CREATE INDEX email_handoffs_open ON email_handoffs (created_at) WHERE status = 'open';

CREATE TABLE email_approval_notices (
  approval_id      text PRIMARY KEY,
  thread_id        bigint NOT NULL REFERENCES email_threads(id),
  -- The outcome mail; null between the claim and the send.
  message_id       text,
  status           text NOT NULL,
  sent_at          timestamptz NOT NULL DEFAULT now()
);
