-- Agent: conversations per (channel, thread), their messages, per-turn usage, approvals, knowledge base.

CREATE TABLE agent_conversations (
  id            bigserial PRIMARY KEY,
  channel       text NOT NULL,
  thread_key    text NOT NULL,
  persona       text NOT NULL CHECK (persona IN ('ops', 'customer')),
  customer_id   text,
  requester     jsonb NOT NULL,
  handed_off_at timestamptz,
  handoff_summary text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, thread_key)
);

-- One row per Messages API message (role + content blocks), in order.
CREATE TABLE agent_messages (
  id              bigserial PRIMARY KEY,
  conversation_id bigint NOT NULL REFERENCES agent_conversations(id),
  role            text NOT NULL CHECK (role IN ('user', 'assistant')),
  content         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_messages_conversation ON agent_messages (conversation_id, id);

CREATE TABLE agent_turns (
  id              bigserial PRIMARY KEY,
  conversation_id bigint NOT NULL REFERENCES agent_conversations(id),
  provider        text NOT NULL,
  model           text NOT NULL,
  iterations      integer NOT NULL,
  stop_reason     text NOT NULL,
  input_tokens    integer NOT NULL DEFAULT 0,
  output_tokens   integer NOT NULL DEFAULT 0,
  cache_read_tokens  integer NOT NULL DEFAULT 0,
  cache_write_tokens integer NOT NULL DEFAULT 0,
  cost_usd        numeric(12,6) NOT NULL DEFAULT 0,
  tool_calls      jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_turns_conversation ON agent_turns (conversation_id, id);

CREATE TABLE approvals (
  id              text PRIMARY KEY,
  tool            text NOT NULL,
  args            jsonb NOT NULL,
  args_hash       text NOT NULL,
  preview         jsonb NOT NULL,
  reason          text NOT NULL,
  status          text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'executed', 'failed', 'rejected', 'expired')),
  requester       jsonb NOT NULL,
  requester_id    text NOT NULL,
  persona         text NOT NULL,
  customer_id     text,
  origin_channel  text NOT NULL,
  origin_thread   text NOT NULL,
  conversation_id bigint REFERENCES agent_conversations(id),
  tool_use_id     text,
  idempotency_key text NOT NULL UNIQUE,
  expires_at      timestamptz NOT NULL,
  decided_by      text,
  decided_at      timestamptz,
  decision_reason text,
  result          jsonb,
  error           text,
  resumed_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status = 'pending';
CREATE INDEX approvals_origin ON approvals (origin_channel, origin_thread, created_at);
-- The same request repeated in one thread while it waits reuses the waiting approval.
CREATE UNIQUE INDEX approvals_one_pending ON approvals (origin_channel, origin_thread, tool, args_hash)
  WHERE status = 'pending';

-- Knowledge-base passages; full-text search works on every Postgres, vectors live in kb_vectors
-- (created at runtime only where the pgvector extension exists).
CREATE TABLE kb_passages (
  id            bigserial PRIMARY KEY,
  source        text NOT NULL,
  heading       text NOT NULL DEFAULT '',
  position      integer NOT NULL,
  content       text NOT NULL,
  content_hash  text NOT NULL,
  tsv           tsvector GENERATED ALWAYS AS (to_tsvector('english', heading || ' ' || content)) STORED,
  UNIQUE (source, position)
);
CREATE INDEX kb_passages_tsv ON kb_passages USING gin (tsv);
