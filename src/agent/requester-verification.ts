import { z } from 'zod';

/**
 * How the channel that carried a request knows who sent it, stored on every approval and shown
 * on approval cards. `verified` is false when the channel could not tell (an email whose From
 * domain did not authenticate it): a change such a requester asks for waits for them to confirm
 * from their own mailbox before staff may approve it.
 */
export interface RequesterVerification {
  verified: boolean;
  /** In words for an approver: "email, DMARC pass for example.com", "Slack user U123 (signed request)". */
  summary: string;
}

export const requesterVerificationSchema = z.object({ verified: z.boolean(), summary: z.string().min(1) });

/** Appended to the summary once the mailbox owner sent the code back. */
export const CONFIRMED_BY_CODE = 'mailbox confirmed by code';
