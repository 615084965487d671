/**
 * The unsubscribe headers of RFC 2369 and RFC 8058: mail clients show an "unsubscribe" button
 * that POSTs `List-Unsubscribe=One-Click` to the https link without the person opening it, and
 * the mailto form serves clients that only write mail. Gmail and Yahoo ask bulk senders for both.
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string, mailbox: string): Record<string, string> {
  if (!/^https?:\/\//i.test(unsubscribeUrl)) throw new Error(`an unsubscribe link must be http(s): ${unsubscribeUrl}`);
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:${mailbox}?subject=unsubscribe>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
