/** "Re: subject", without stacking prefixes. */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  if (/^(re|aw|sv|antw)\s*:/i.test(trimmed)) return trimmed;
  return trimmed ? `Re: ${trimmed}` : 'Re: your message';
}

/** Keeps a long References chain to its root and its most recent ids, as RFC 5322 suggests. */
const MAX_REFERENCES = 20;

/** References of a reply: the parent's References followed by the parent's own Message-ID. */
export function replyReferences(parent: { messageId: string; referenceIds: string[] }): string[] {
  const chain = [...parent.referenceIds.filter((id) => id !== parent.messageId), parent.messageId];
  if (chain.length <= MAX_REFERENCES) return chain;
  return [chain[0]!, ...chain.slice(chain.length - (MAX_REFERENCES - 1))];
}

/**
 * Headers on every mail we send without a person writing it: RFC 3834's Auto-Submitted
 * (`auto-replied` for an answer to a mail, `auto-generated` for a notice such as an approval
 * outcome) and Microsoft's request that autoresponders stay quiet.
 */
export function automaticMailHeaders(kind: 'auto-replied' | 'auto-generated'): Record<string, string> {
  return { 'Auto-Submitted': kind, 'X-Auto-Response-Suppress': 'All' };
}
