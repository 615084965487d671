import { renderPrompt } from '../../agent/prompt-library.js';

/**
 * A mail's text as the model gets it: at most `maxBytes` of UTF-8 (cut at a character boundary),
 * followed, when it was cut, by a note saying so (prompts/email-text-cut.md). What the customer
 * wrote is stored whole; only the model's copy is short, so a long mail costs a bounded number
 * of tokens however long it is.
 */
export function capTextForModel(text: string, maxBytes: number): string {
  const total = Buffer.byteLength(text);
  if (total <= maxBytes) return text;
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  const shown = text.slice(0, read);
  return `${shown.trimEnd()}\n\n${renderPrompt('email-text-cut', { shown_bytes: Buffer.byteLength(shown), total_bytes: total })}`;
}
