/**
 * A recipient as lists show it: enough to tell two apart (first letter and domain of a mail
 * address, the first two characters and last four digits of a number) without handing out the whole.
 */
export function maskRecipient(recipient: string): string {
  const at = recipient.lastIndexOf('@');
  if (at > 0) return `${recipient[0]}***${recipient.slice(at)}`;
  if (at === 0) return `***${recipient}`;
  if (recipient.length <= 6) return '*'.repeat(recipient.length);
  return `${recipient.slice(0, 2)}${'*'.repeat(recipient.length - 6)}${recipient.slice(-4)}`;
}
