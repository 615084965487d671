-- Email limits. admitted_at: when an inbound mail was let through the rate limits to an agent
-- turn or an automatic reply; it counts against the per-sender and global limits from then on,
-- whatever came of it. raw_source: the bytes of a mail that could not be parsed (outcome
-- 'unparseable'), kept for a person; null for every other mail. IMAP mail over EMAIL_MAX_BYTES
-- is recorded unread with outcome 'too_large'.
ALTER TABLE email_messages ADD COLUMN admitted_at timestamptz;
ALTER TABLE email_messages ADD COLUMN raw_source bytea;
CREATE INDEX email_messages_admitted ON email_messages (admitted_at) WHERE admitted_at IS NOT NULL;
CREATE INDEX email_messages_admitted_sender ON email_messages (counterpart, admitted_at) WHERE admitted_at IS NOT NULL;
