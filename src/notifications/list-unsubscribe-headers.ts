/**
 * The unsubscribe headers of RFC 2369 and RFC 8058: mail clients show an "unsubscribe" button
 * that POSTs `List-Unsubscribe=One-Click` to the https link without the person opening it. No
 * mailto form: a mail to the support address would reach a person or the agent, not the
 * preference, so offering it would promise an unsubscribe that does not happen.
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  if (!/^https?:\/\//i.test(unsubscribeUrl)) throw new Error(`an unsubscribe link must be http(s): ${unsubscribeUrl}`);
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
