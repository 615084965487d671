/**
 * Lines that start the quoted history in the common mail clients. Everything from such a line on
 * is the earlier conversation, which we already have; showing it to the model again would let an
 * old message (or someone else's words inside it) speak twice.
 */
const HISTORY_STARTS: RegExp[] = [
  /^-{2,}\s*(original message|forwarded message|ursprüngliche nachricht|message d'origine)\s*-{2,}$/i,
  /^_{10,}$/,
  /^(from|von|de):\s.+/i,
  /^on .+wrote:$/i,
  /^le .+a écrit\s?:$/i,
  /^am .+schrieb .+:$/i,
  /^el .+escribió:$/i,
  /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}.*<[^>]+@[^>]+>.*:$/,
];

/** "On Tue, 3 Jun 2025 at 10:00, Jane <jane@x.com> wrote:" is often wrapped over two lines. */
const WROTE_TAIL = /(wrote|a écrit|schrieb|escribió)\s?:$/i;
const WROTE_HEAD = /^(on|le|am|el)\s/i;

const SIGNATURE_DELIMITER = /^-- ?$/;

const DEVICE_FOOTERS = [
  /^sent from my .+$/i,
  /^get outlook for .+$/i,
  /^sent from (mail|yahoo mail|outlook) for .+$/i,
  /^envoyé de mon .+$/i,
  /^von meinem .+ gesendet$/i,
];

function startsHistory(line: string, next: string | undefined): boolean {
  if (HISTORY_STARTS.some((re) => re.test(line))) {
    // "From: x" alone is too common in a real message; Outlook's header block has Sent/Date next.
    if (/^(from|von|de):/i.test(line)) return next !== undefined && /^(sent|date|gesendet|envoyé|to):/i.test(next);
    return true;
  }
  if (WROTE_HEAD.test(line) && next !== undefined && WROTE_TAIL.test(`${line} ${next}`) && !WROTE_TAIL.test(line)) {
    return true;
  }
  return false;
}

/**
 * The new text of a reply: quoted history (`>` lines, "On … wrote:" blocks, Outlook headers and
 * separators), the signature after `-- ` and device footers removed, blank runs collapsed.
 * Falls back to the whole text trimmed when stripping would leave nothing.
 */
export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trimEnd();
    const trimmed = line.trim();
    const next = lines.slice(i + 1).find((l) => l.trim() !== '')?.trim();
    if (SIGNATURE_DELIMITER.test(line)) break;
    if (startsHistory(trimmed, next)) break;
    if (trimmed.startsWith('>')) continue;
    if (DEVICE_FOOTERS.some((re) => re.test(trimmed))) continue;
    kept.push(line);
  }
  const result = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return result === '' ? text.trim() : result;
}
