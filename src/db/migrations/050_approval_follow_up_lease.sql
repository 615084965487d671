-- The agent's follow-up after a decision is claimed for a while before the model call and marked
-- done (resumed_at) only after it succeeded; a failed or abandoned call leaves it claimable again.
ALTER TABLE approvals ADD COLUMN resume_claimed_until timestamptz;
