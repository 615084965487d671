// WordPress's table for ENT_QUOTES: only these five characters, in their named and numeric forms.
const ENTITIES: Record<string, string> = {
  '&#039;': "'",
  '&#x27;': "'",
  '&quot;': '"',
  '&#034;': '"',
  '&#x22;': '"',
  '&lt;': '<',
  '&#060;': '<',
  '&gt;': '>',
  '&#062;': '>',
  '&amp;': '&',
  '&#038;': '&',
  '&#x26;': '&',
};

// Zero-padded numeric forms are first brought to the table's spelling, as WordPress does.
const PADDED: [RegExp, string][] = [
  [/&#0*39;/g, '&#039;'],
  [/&#x0*27;/gi, '&#x27;'],
  [/&#0*34;/g, '&#034;'],
  [/&#x0*22;/gi, '&#x22;'],
  [/&#0*60;/g, '&#060;'],
  [/&#0*62;/g, '&#062;'],
  [/&#0*38;/g, '&#038;'],
  [/&#x0*26;/gi, '&#x26;'],
];

const ONE_PASS = new RegExp(Object.keys(ENTITIES).join('|'), 'g');

/**
 * WordPress's `wp_specialchars_decode($s, ENT_QUOTES)`. WooCommerce keys its webhook HMAC with the
 * secret after this decoding, so `a&amp;b` and `a&b` sign alike. One left-to-right pass (PHP's
 * strtr): `&amp;lt;` becomes `&lt;`, not `<`.
 */
export function wpSpecialcharsDecode(text: string): string {
  if (!text.includes('&')) return text;
  let s = text;
  for (const [pattern, spelling] of PADDED) s = s.replace(pattern, spelling);
  return s.replace(ONE_PASS, (m) => ENTITIES[m]!);
}
