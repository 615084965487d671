-- Approvals record how the requester was verified, and a request from a sender the channel could
-- not verify (email without an aligned SPF/DKIM/DMARC pass) starts as 'awaiting_confirmation':
-- nobody can approve it until the mailbox owner sends back the one-time code we mailed to them.

ALTER TABLE approvals DROP CONSTRAINT approvals_status_check;
ALTER TABLE approvals ADD CONSTRAINT approvals_status_check
  CHECK (status IN ('awaiting_confirmation', 'pending', 'executed', 'failed', 'rejected', 'expired'));

-- {"verified": bool, "summary": "email, DMARC pass for example.com"}; rows from before say so.
ALTER TABLE approvals ADD COLUMN requester_verification jsonb NOT NULL
  DEFAULT '{"verified": false, "summary": "not recorded"}'::jsonb;
ALTER TABLE approvals ALTER COLUMN requester_verification DROP DEFAULT;

-- The code is kept only as a salted scrypt hash, cleared once used; the reference names where it
-- was sent (for email, the Message-ID of the confirmation mail), so only a reply to that mail counts.
ALTER TABLE approvals ADD COLUMN confirmation_code_hash text;
ALTER TABLE approvals ADD COLUMN confirmation_reference text;
ALTER TABLE approvals ADD COLUMN confirmation_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE approvals ADD COLUMN confirmed_at timestamptz;
CREATE UNIQUE INDEX approvals_confirmation_reference ON approvals (confirmation_reference)
  WHERE confirmation_reference IS NOT NULL;

-- A waiting request, confirmed or not, is the one a repeat in the same thread reuses; both expire.
DROP INDEX approvals_one_pending;
CREATE UNIQUE INDEX approvals_one_pending ON approvals (origin_channel, origin_thread, tool, args_hash)
  WHERE status IN ('pending', 'awaiting_confirmation');
DROP INDEX approvals_pending;
CREATE INDEX approvals_pending ON approvals (expires_at) WHERE status IN ('pending', 'awaiting_confirmation');

-- The mail that carries a confirmation code.
ALTER TABLE email_messages DROP CONSTRAINT email_messages_source_check;
ALTER TABLE email_messages ADD CONSTRAINT email_messages_source_check
  CHECK (source IN ('smtp', 'imap', 'webhook', 'reply', 'approval-outcome', 'handoff', 'confirmation'));
