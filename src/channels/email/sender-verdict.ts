import { assessAuthenticationResults } from './authentication-results.js';
import { headerValues, type InboundEmail } from './inbound-email.js';
import { unverified, type SenderAuthentication } from './sender-authentication.js';

/**
 * Who vouches for a mail's From address, by door. Behind an MX (`trustedAuthservId` set) only the
 * topmost Authentication-Results header that MX wrote counts, whatever the door. Without one, only
 * the SMTP door's own first-hop check counts; mail from IMAP or the webhook is unverified, since
 * anything in its headers may have been written by the sender.
 */
export function senderVerdict(mail: InboundEmail, options: { trustedAuthservId?: string | undefined }): SenderAuthentication {
  if (options.trustedAuthservId) {
    return assessAuthenticationResults(headerValues(mail, 'authentication-results'), mail.from.address, options.trustedAuthservId);
  }
  if (mail.source === 'smtp' && mail.senderAuth) return mail.senderAuth;
  return unverified(
    mail.source === 'smtp'
      ? 'the SMTP door did not check this mail'
      : `nothing vouches for mail from the ${mail.source} door without EMAIL_AUTHSERV_ID`,
  );
}
