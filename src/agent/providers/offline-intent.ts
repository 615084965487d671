/**
 * The fixed set of requests the offline model understands, and the entities it pulls out of a
 * message. Matching tolerates one typo in longer keywords and a few greetings and phrases in
 * Spanish, French, German and Portuguese.
 */
export type OfflineIntent =
  | 'wismo'
  | 'cancel'
  | 'return'
  | 'exchange'
  | 'address'
  | 'stock'
  | 'list_held'
  | 'hold'
  | 'release'
  | 'help'
  | 'other';

const KEYWORDS: Record<Exclude<OfflineIntent, 'help' | 'other' | 'list_held'>, { words: string[]; phrases: RegExp[] }> = {
  cancel: { words: ['cancel', 'cancelled', 'canceled', 'cancellation', 'annuler', 'cancelar', 'stornieren', 'cancelare'], phrases: [/\bdon'?t want (it|this order|the order) anymore\b/] },
  return: {
    words: ['return', 'returning', 'devolver', 'retourner', 'retour', 'devolução', 'zurückschicken', 'rücksendung'],
    phrases: [/\bsend (it|them|this|these)? ?back\b/, /\bgive (it|them) back\b/],
  },
  exchange: {
    words: ['exchange', 'swap', 'cambiar', 'cambio', 'échanger', 'umtauschen', 'trocar'],
    phrases: [/\b(different|another|other) (size|colou?r|model|option)\b/, /\bwrong size\b/],
  },
  address: {
    words: ['address', 'adresse', 'dirección', 'direccion', 'endereço', 'anschrift'],
    phrases: [/\b(ship|deliver|send) (it )?to (a )?(different|new|another)\b/, /\bi (have )?moved\b/],
  },
  stock: {
    words: ['stock', 'inventory', 'restock', 'availability'],
    phrases: [/\bhow many\b.*\b(left|have|available)\b/, /\b(is|are) (the )?.+ available\b/, /\bin stock\b/],
  },
  release: { words: ['release', 'unhold', 'un-hold'], phrases: [/\blift the hold\b/, /\btake .* off hold\b/] },
  hold: { words: ['hold', 'pause'], phrases: [/\bput .* on hold\b/, /\bstop (the )?(shipment|shipping|fulfil?ment)\b/] },
  wismo: {
    words: ['where', 'status', 'track', 'tracking', 'arrive', 'arrived', 'delivery', 'shipped', 'shipping', 'package', 'parcel', 'dónde', 'donde', 'pedido', 'où', 'commande', 'bestellung', 'paket', 'onde', 'encomenda', 'wismo', 'late', 'delayed'],
    phrases: [/\bwhen will\b/, /\bhasn'?t (come|arrived)\b/, /\bnot (yet )?(arrived|received)\b/, /\bwo ist\b/, /\bstill waiting\b/],
  },
};

function editDistanceAtMost1(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    // A swap of two neighbours ("cancle") counts as one edit.
    if (a[i] === b[j + 1] && a[i + 1] === b[j]) {
      i += 2;
      j += 2;
    } else if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? [];
}

/** True when a word of the text is the keyword, or one typo away from a keyword of five letters or more. */
export function mentions(tokens: string[], keyword: string): boolean {
  return tokens.some((t) => t === keyword || (keyword.length >= 5 && t.length >= 4 && editDistanceAtMost1(t, keyword)));
}

const has = (text: string, tokens: string[], k: { words: string[]; phrases: RegExp[] }) =>
  k.words.some((w) => mentions(tokens, w)) || k.phrases.some((p) => p.test(text));

export function classifyIntent(raw: string, entities: Entities): OfflineIntent {
  const text = raw.toLowerCase();
  const tokens = words(text);
  if (/^\s*(help|\?|what can you do\??|menu)\s*$/.test(text) || /\bwhat can you (do|help)\b/.test(text)) return 'help';
  if (
    entities.orderIds.length === 0 &&
    (/\b(held|on hold|flagged)\b/.test(text) || mentions(tokens, 'flagged')) &&
    /\b(orders|list|show|which|any)\b/.test(text)
  ) {
    return 'list_held';
  }
  if (has(text, tokens, KEYWORDS.release)) return 'release';
  if (has(text, tokens, KEYWORDS.hold) && !/\bwhy\b/.test(text)) return 'hold';
  for (const intent of ['cancel', 'exchange', 'return', 'address', 'stock'] as const) {
    if (has(text, tokens, KEYWORDS[intent])) return intent;
  }
  // Money requests are not something the offline model handles, even when they mention delivery.
  if (['refund', 'compensation', 'reimburse', 'chargeback', 'discount', 'voucher', 'coupon'].some((w) => mentions(tokens, w)) || /money back/.test(text)) {
    return 'other';
  }
  if (has(text, tokens, KEYWORDS.wismo)) return 'wismo';
  if (entities.orderIds.length > 0 && /\border\b/.test(text) && tokens.length <= 6) return 'wismo';
  return 'other';
}

export interface Entities {
  orderIds: string[];
  emails: string[];
}

export function extractEntities(text: string): Entities {
  const orderIds = new Set<string>();
  for (const m of text.matchAll(/#?\bW\s?(\d{7})\b/gi)) orderIds.add(`#W${m[1]}`);
  for (const m of text.matchAll(/\border\s*(?:number|no\.?|num|#)?\s*:?\s*#?(\d{7})\b/gi)) orderIds.add(`#W${m[1]}`);
  for (const m of text.matchAll(/(?:^|\s)#(\d{7})\b/g)) orderIds.add(`#W${m[1]}`);
  const emails = [...new Set([...text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((m) => m[0].toLowerCase()))];
  return { orderIds: [...orderIds], emails };
}

export function cancelReasonOf(text: string): 'ordered by mistake' | 'no longer needed' {
  return /\b(mistake|accident|accidentally|by error|wrong(ly)? ordered|twice|duplicate)\b/i.test(text) ? 'ordered by mistake' : 'no longer needed';
}

export function isDenial(text: string): boolean {
  return /^\s*(no|nope|nah|don'?t|do not|never ?mind|keep it|stop|non|nein|não)(?=$|[\s,.!])/i.test(text);
}

export function isConfirmation(text: string): boolean {
  // No \b: it does not see a boundary after a non-ASCII letter such as the í of "sí".
  return /^\s*(yes|yep|yeah|y|sure|ok|okay|confirm(ed)?|go ahead|please do|do it|correct|sí|si|oui|ja|sim)(?=$|[\s,.!])/i.test(text);
}

/** A postal address written on one line: "12 Main Street, Apt 4, Springfield, IL, 62704, USA". */
export function parseAddress(text: string): { address1: string; address2: string; city: string; state: string; country: string; zip: string } | null {
  const m =
    /(\d+\s+(?!to\b)[A-Za-z](?:(?!\bto\b)[^,\n])*?),\s*(?:((?:apt|apartment|suite|ste|unit|floor|fl|#)[^,\n]*?),\s*)?([A-Za-z][A-Za-z .'-]*?),\s*([A-Za-z]{2})\s*,?\s*(\d{5}(?:-\d{4})?)(?:\s*,\s*([A-Za-z][A-Za-z .]*))?(?=[\s.!]*$|[\s.!]*\n)/i.exec(
      text.trim(),
    );
  if (!m) return null;
  return {
    address1: m[1]!.trim(),
    address2: (m[2] ?? '').trim(),
    city: m[3]!.trim(),
    state: m[4]!.toUpperCase(),
    zip: m[5]!,
    country: (m[6] ?? 'USA').trim(),
  };
}
