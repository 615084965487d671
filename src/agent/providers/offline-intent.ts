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
  | 'customer_lookup'
  | 'low_stock'
  | 'list_approvals'
  | 'briefing'
  | 'policy'
  | 'other';

/**
 * Verbs of throwing away or calling off. With an order as their object ("scrap my order", "call
 * the order off") they ask for a cancel in other words; without one they could mean anything.
 */
const DISCARD_VERB = "scrap|ditch|drop|nix|kill|void|withdraw|abort|undo|revoke|scratch|axe|call off|back out of|forget about|get rid of";
const DISCARDED_ORDER = new RegExp(
  `\\b(?:${DISCARD_VERB})\\s+(?:(?:my|the|this|that|our|his|her|their|whole|entire|last|recent)\\s+)*(?:order|purchase|#?w ?\\d{7})\\b|\\bcall (?:it|(?:my|the|this|that) (?:order|purchase)) off\\b`,
);

const KEYWORDS: Record<Exclude<OfflineIntent, 'help' | 'other' | 'list_held' | 'customer_lookup' | 'low_stock' | 'list_approvals' | 'briefing' | 'policy'>, { words: string[]; phrases: RegExp[] }> = {
  cancel: { words: ['cancel', 'cancelled', 'canceled', 'cancellation', 'annuler', 'cancelar', 'stornieren', 'cancelare'], phrases: [/\bdon'?t want (it|this order|the order) anymore\b/, DISCARDED_ORDER] },
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
    words: [
      'where', 'status', 'track', 'tracking', 'arrive', 'arrived', 'delivery', 'ship', 'shipped', 'shipping', 'dispatch', 'package', 'parcel', 'eta', 'update',
      'dónde', 'donde', 'cuándo', 'cuando', 'pedido', 'où', 'quand', 'commande', 'bestellung', 'wann', 'paket', 'onde', 'quando', 'encomenda', 'wismo', 'late', 'delayed',
    ],
    phrases: [/\bwhen will\b/, /\bhasn'?t (come|arrived)\b/, /\bnot (yet )?(arrived|received)\b/, /\bwo ist\b/, /\bstill waiting\b/, /\bany news\b/, /\bwhen\b.*\b(expect|receive|get|arrive|come)/, /\b(going on|happening) with\b/, /\bhaven'?t heard\b/],
  },
};

/** At most one edit apart; `substitute` false allows only a missing, extra or swapped letter. */
function editDistanceAtMost1(a: string, b: string, substitute = true): boolean {
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
      if (!substitute) return false;
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Lower case, straight apostrophes, one space: what every pattern below is written against. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019\u02bc`]/g, "'").replace(/\s+/g, ' ');
}

export function words(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}'-]+/gu) ?? [];
}

/**
 * A crude English stem, so "shipped", "shipping" and "ships" all read as "ship" and a doubled
 * typo ("cancell") as the word. Applied to both sides of a comparison, so it only has to be consistent.
 */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 4) w = w.replace(/(ing|ed|es|s)$/, '');
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

/**
 * True when a word of the text is the keyword or a form of it, or one typo away from a keyword of
 * five letters or more. A swapped-in letter counts as a typo only in words of seven letters or
 * more: in shorter words it usually makes another real word ("stuck" is not "stock").
 */
export function mentions(tokens: string[], keyword: string): boolean {
  const k = stem(keyword);
  return tokens.some((t) => {
    if (t === keyword) return true;
    const s = stem(t);
    if (s === k) return true;
    return keyword.length >= 5 && t.length >= 4 && (editDistanceAtMost1(t, keyword, keyword.length >= 7) || editDistanceAtMost1(s, k, keyword.length >= 7));
  });
}

const has = (text: string, tokens: string[], k: { words: string[]; phrases: RegExp[] }) =>
  k.words.some((w) => mentions(tokens, w)) || k.phrases.some((p) => p.test(text));

/**
 * Requests that sound like ours but are not: payment, money, delivery problems, a person,
 * account and privacy, shipping policy and carriers, product questions, reporting. A message
 * with any of them goes to a person, even when it also names an intent we handle.
 */
const OUT_OF_SCOPE: RegExp[] = [
  /\b(payment (method|card|info|details)|credit ?card|debit ?card|(change|switch|update|use|different|new|another) (my |the |a |to the |to my |to a )?([\w']+ )?card|card i paid|paid (it )?(with|by)|pay (it )?(with|by)|billing|gift ?card|paypal|charged?|charges|invoice|receipt)\b/,
  /\b(discount|voucher|coupon|promo|price ?match|cheaper|price|compensation|chargeback|tax)\b/,
  /\b(manager|supervisor|human|real person|representative|someone (real|else)|(speak|talk) (to|with) (a|an|your|someone|somebody)|call me|phone number|complain|complaint)\b/,
  /\b(unsubscribe|newsletter|marketing|spam|(delete|close|remove|deactivate) (my |the )?account|password|log ?in|sign ?in|(my|personal) data|gdpr|privacy|subscription|membership|loyalty|points|rewards?)\b/,
  /\b(do you (ship|deliver|sell)|ship(ping)? (internationally|abroad|overseas)|international|(shipping|delivery) (cost|fee|rate|price|time|policy|option)s?|how much (is|does|for) (shipping|delivery)|expedite|express|overnight|faster|rush|priority|upgrade|carrier|fedex|ups|usps|dhl|courier)\b/,
  /\b(warranty|guarantee|waterproof|dimensions?|size chart|materials?|made of|compatible|batter(y|ies)|manual|instructions|gift ?wrap(ping)?|gift message|engrav)/,
  /\b(how many orders|(last|this|past) (week|month|year|quarter)|report|revenue|sales|average)\b/,
];

/**
 * A delivery gone wrong. From a customer it needs a person; staff asking about one want the
 * order's facts, so for them it does not stop a status answer.
 */
const DELIVERY_PROBLEM = /\b(damaged?|broken|smashed|cracked|crushed|defective|faulty|missing|stolen|wrong item|stopped working|(doesn't|does not|won't|not) (work|turn on)|rude)\b/;
/**
 * "It never arrived" about a named order: its status decides. Still on its way, the status is
 * the answer; shown as delivered, a person takes it with the status attached.
 */
export const NOT_ARRIVED =
  /\b(never (arrived|came|got)|(says|shows|showing|marked|listed|tracking says)( it)?( as| was| is|'s)? delivered|(isn't|is not|wasn't|not) (here|there)|(hasn'?t|has not|haven'?t|have not|didn'?t|did not|never|still not|not yet)\s+(come|came|arrived?|received?|got(ten)?|get|shown up|turned up))\b/;

/** A question about how the store works in general (no order of one's own in it): the knowledge base answers it. */
const POLICY_QUESTION = /\b(polic(y|ies)|how long|how many (business )?days|time limit|deadline|return window|how soon)\b/;
const NAMED_POLICY = /\b(polic(y|ies)|warranty|guarantee|return window)\b/;
const ABOUT_MY_ORDER = /\bmy (order|package|parcel|delivery|shipment|stuff|items?|lamp|shirt|t-?shirt)\b/;

/** Staff asking what is waiting for a decision. */
const APPROVALS = /\b(approvals?|sign-?offs?|sign off)\b/;
/** Staff asking what needs them: the daily briefing. */
const BRIEFING =
  /\b(worry|worried|attention|briefing|brief me|rundown|run-down|summary|summari[sz]e|overview|on fire|urgent|priorities|catch me up|what'?s (up|open|new)|needs? (me|looking at|doing)|on my plate|should i know|need to know|anything (new|important))\b/;
/** Staff asking what runs out: low stock across the catalogue. */
const LOW_STOCK = /\b(low on|running low|low[- ]stock|(what'?s|anything|which|what is|items?|skus?) (running )?low|run(ning)? out|sell(ing)? out|sold out|(nearly|almost|about to (run|sell|go)|close to (running|selling)) out|running short|short on|short of|stock-?outs?|out of stock|reorder)\b/;
/**
 * A verb that asks for something to be done. Staff naming an order without one ("can you check
 * #W1 for me", "customer says #W1 never arrived") are asking about it.
 */
const CHANGE_VERB =
  /\b(?:re-?)?(buy|purchase|refund|charge|send|email|e-mail|notify|message|split|merge|re-?route|route|void|resend|add|remove|change|update|edit|set|make|move|transfer|adjust|mark|approve|reject|deny|delete|create|apply|give|upgrade|expedite|print|replace|fix|write|reship|credit|escalate|assign|compose|draft|translate)\b/;

/** Politeness and filler before a request's verb. */
const LEAD_IN = /^(?:(?:hey|hi|ok|okay|so|please|pls|plz|can you|could you|would you|will you|can u|could u|i need you to|i want you to|go ahead and|quickly|just)[\s,]+)*/;

/** Whether the request's first verb is a change verb that is not itself the action word or phrase. */
function leadsWithOtherChange(request: string, action: { words: string[]; phrases: RegExp[] }): boolean {
  const rest = request.trim().replace(LEAD_IN, '');
  const lead = words(rest)[0];
  if (!lead || !CHANGE_VERB.test(lead)) return false;
  return !action.words.some((w) => mentions([lead], w)) && !action.phrases.some((p) => p.test(rest));
}

/** Whether a message also raises something only a person can settle (a complaint, a fault, money, an account). */
export function needsPerson(raw: string): boolean {
  const text = normalizeText(withoutSignature(raw));
  return DELIVERY_PROBLEM.test(text) || NOT_ARRIVED.test(text) || OUT_OF_SCOPE.some((p) => !/warrant/.test(p.source) && p.test(text));
}

/** Money words a cancel or return carries anyway (the refund is part of it); anywhere else they go to a person. */
const REFUND = /\b(refund(ed)?|money back|reimburse(ment)?)\b/;

/** "do not cancel", "don't release it yet": a negated action is never taken as the action. */
const NEGATED_ACTION = new RegExp(
  String.raw`\b(don'?t|do not|dont|never|no need to|not to|shouldn'?t|should not|doesn'?t need to)\s+(?:(?:yet|actually|please|pls|now|just|you|go ahead and)\s+){0,2}(cancel|return|send (it |them )?back|release|hold|exchange|swap|change|modify|update|${DISCARD_VERB})`,
);

/**
 * An email without its sign-off and what follows it (name, job title, "Sent from my iPhone"): a
 * title such as "Office Manager" is not a request to speak to one.
 */
export function withoutSignature(text: string): string {
  return text
    .replace(/\n[ \t]*(?:(?:best|kind|warm|many)\s+)?(?:regards|thanks|thank you|cheers|best|sincerely|yours)\b[^\n]{0,20}\n[\s\S]*$/i, '')
    .replace(/\n[ \t]*--[ \t]*\n[\s\S]*$/, '')
    .replace(/\n[ \t]*sent from my [\s\S]*$/i, '');
}

/** Everything after "because", "since", "due to", "reason" or a dash is why, not what. */
function requestPart(text: string): string {
  return text.split(/\s[-\u2013\u2014]\s|\b(?:because|since|due to|reason:?)\b/)[0] ?? text;
}

const ACTIONS = ['release', 'hold', 'cancel', 'exchange', 'return', 'address', 'stock'] as const;
/** Asking for something to be done (not asking about the order): not a status question. */
const ASKS_FOR_SOMETHING = /\b(can|could|would|will) (you|u|we|i)\b|\bplease\b|\bpls\b|\bplz\b|\bwant\b|\bneed\b|\bwould like\b|\bi'?d like\b|\badd\b|\bchange\b|\bmake\b|\bset\b|\bsend\b|\bgive\b/;
const IS_QUESTION = /\?|^\s*(?:(?:hi|hey|hello|hola|bonjour|hallo)\b[\s,!]*)?(what|what's|whats|where|wheres|where's|when|why|how|is|has|did|does|any)\b/;

/**
 * The intent of a message. Staff write commands with the why attached ("hold W1 - chargeback
 * risk"), so for them only the command part is checked for topics we do not handle; a customer's
 * "because ..." is itself something a person should read.
 */
export function classifyIntent(raw: string, entities: Entities, persona: 'ops' | 'customer' = 'customer'): OfflineIntent {
  const text = normalizeText(withoutSignature(raw));
  const tokens = words(text);
  if (/^\s*(help|\?|what can you do\??|menu)\s*$/.test(text) || /\bwhat can you (do|help)\b/.test(text)) return 'help';
  const request = requestPart(text);
  const scoped = persona === 'ops' ? request : text;
  // A question about a written policy ("is that covered by warranty?") is answered from it, even
  // when it also needs a person: the provider then passes it on as well.
  if (entities.orderIds.length === 0 && NAMED_POLICY.test(text) && IS_QUESTION.test(text)) return 'policy';
  if (OUT_OF_SCOPE.some((p) => p.test(scoped)) || NEGATED_ACTION.test(text)) return 'other';
  const noOrder = entities.orderIds.length === 0;
  if (persona === 'customer' && (DELIVERY_PROBLEM.test(text) || (noOrder && NOT_ARRIVED.test(text)))) return 'other';
  if (noOrder && POLICY_QUESTION.test(text) && !ABOUT_MY_ORDER.test(text)) return 'policy';

  if (persona === 'ops' && noOrder) {
    if (APPROVALS.test(request) && !/^\s*(approve|reject|deny)\b/.test(request)) return 'list_approvals';
    if (LOW_STOCK.test(request)) return 'low_stock';
    if (BRIEFING.test(request) && entities.emails.length === 0) return 'briefing';
  }

  const requestTokens = words(request);
  const hasRelease = has(request, requestTokens, KEYWORDS.release);
  if (
    noOrder &&
    !hasRelease &&
    (/\b(held|on hold|flagged)\b/.test(text) || mentions(tokens, 'flagged')) &&
    !/\b(put|place)\b/.test(text) &&
    (/\b(orders|list|show|which|any|anything|are there|what)\b/.test(text) || text.includes('?'))
  ) {
    return 'list_held';
  }
  const actions = new Set(ACTIONS.filter((a) => has(request, requestTokens, KEYWORDS[a])));
  // "release it from hold", "take it off hold" are releases; "why is it on hold?" is a question.
  if (hasRelease) actions.delete('hold');
  if (/^\s*(why|is|was|how come)\b.*\bon hold\b/.test(request)) actions.delete('hold');
  // A full postal address next to an order number and a change word is an address change.
  if (entities.orderIds.length > 0 && parseAddress(raw) && /\b(update|change|correct|fix|new|ship|send|deliver|move)/.test(request)) actions.add('address');
  // Two different requests in one message, or one applied to "all" orders, are not ours to guess.
  if (actions.size > 1) return 'other';
  const [action] = [...actions];
  // Staff asking to write, add or change something of the store's own ("translate the returns
  // page") use an action word for the thing, not as the request: the leading verb is the request.
  if (action && persona === 'ops' && noOrder && action !== 'address' && leadsWithOtherChange(request, KEYWORDS[action])) return 'other';
  if (action) {
    if (action !== 'stock' && /\b(all|every|everything|each)\b.*\borders\b|\ball of them\b/.test(request)) return 'other';
    if (REFUND.test(scoped) && action !== 'cancel' && action !== 'return') return 'other';
    return action;
  }
  if (REFUND.test(scoped)) return 'other';
  if (!noOrder && NOT_ARRIVED.test(text)) return 'wismo';
  if (persona === 'ops') {
    // Staff: anything asking for a change we do not make is not a question about an order.
    if (CHANGE_VERB.test(request)) return 'other';
    if (noOrder && entities.emails.length > 0) return 'customer_lookup';
    if (!noOrder) return 'wismo';
  }
  if (has(text, tokens, KEYWORDS.wismo)) return 'wismo';
  // A customer asking about "my order", "my lamp" and for nothing else wants to know where it is.
  if (persona === 'customer' && ABOUT_MY_ORDER.test(text) && text.includes('?') && !ASKS_FOR_SOMETHING.test(text)) return 'wismo';
  // A question about a named order that asks for nothing else is a status question.
  if (entities.orderIds.length > 0 && !ASKS_FOR_SOMETHING.test(text) && (IS_QUESTION.test(text) || (/\border\b/.test(text) && tokens.length <= 6))) return 'wismo';
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
    /(\d+\s+(?!to\b)[A-Za-z](?:(?!\bto\b)[^,\n])*?),\s*(?:((?:apt|apartment|suite|ste|unit|floor|fl|#)[^,\n]*?),\s*)?([A-Za-z][A-Za-z .'-]*?),\s*([A-Za-z]{2})\s*,?\s*(\d{5}(?:-\d{4})?)(?:\s*,\s*([A-Za-z][A-Za-z .]*?))?(?=[\s,.!]*(?:\b(?:instead|please|pls|thanks|thank you)\b[\s.!]*)?$|[\s.!]*\n)/i.exec(
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
