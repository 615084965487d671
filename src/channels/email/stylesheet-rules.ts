import { UnparseableEmailError } from './unparseable-email-error.js';
import { couldHide, parseDeclarations, VISIBILITY_PROPERTIES } from './hidden-style.js';

/** What a selector can test of an element. */
export interface ElementFacts {
  tag: string;
  attribs: Record<string, string>;
}

interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
  attrs: { name: string; value: string | null }[];
}

interface Rule {
  order: number;
  /** Compounds that must match some open ancestor (order not checked). */
  ancestors: number[];
  last: Compound;
  declarations: Map<string, string>;
}

/**
 * The `<style>` rules of one mail that bear on visibility, applied while the document is walked
 * depth-first: `enter` each element, `leave` it after its children (also when they are skipped).
 *
 * Selector matching is deliberately loose, never tighter than a browser's: descendant and child
 * combinators both mean "inside", a sibling combinator drops what precedes it, pseudo-classes are
 * ignored, and specificity is not ranked (the walk treats any hiding declaration as winning). A
 * selector of generated content (`::before`) is skipped: it hides no text of the element.
 */
export interface StylesheetRules {
  /** The declarations of the rules that select `element`, in document order. */
  enter(element: ElementFacts): Map<string, string>[];
  leave(): void;
}

// Bound the work a hostile stylesheet can cause: rules kept, and selector tests per document.
const MAX_HIDING_RULES = 2000;
const MAX_OTHER_RULES = 500;
const MAX_COMPOUNDS = 4;
const MAX_MATCH_WORK = 20_000_000;
const PSEUDO_ELEMENTS = new Set(['before', 'after', 'first-line', 'first-letter', 'marker', 'placeholder', 'selection', 'backdrop']);
const PART = /\.([-\w]+)|#([-\w]+)|\[\s*([-\w:]+)\s*(?:([~|^$*]?)=\s*("[^"]*"|'[^']*'|[^\]\s]*))?\s*\]|(::?)([-\w]+)(\([^)]*\))?/y;

function parseCompound(text: string): Compound | null {
  const head = /^(\*|[a-z][a-z0-9-]*)?/i.exec(text)!;
  const compound: Compound = { tag: head[1] && head[1] !== '*' ? head[1].toLowerCase() : null, ids: [], classes: [], attrs: [] };
  PART.lastIndex = head[0].length;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return null;
    if (m[1]) compound.classes.push(m[1]);
    else if (m[2]) compound.ids.push(m[2]);
    else if (m[3]) compound.attrs.push({ name: m[3].toLowerCase(), value: m[5] !== undefined && m[4] === '' ? m[5].replace(/^["']|["']$/g, '') : null });
    else if (m[7] && (m[6] === '::' || PSEUDO_ELEMENTS.has(m[7].toLowerCase()))) return null;
  }
  return compound;
}

function parseSelector(text: string): Compound[] | null {
  let compounds: Compound[] = [];
  for (const token of text.replace(/\s*([>+~])\s*/g, ' $1 ').trim().split(/\s+/)) {
    if (token === '>') continue;
    if (token === '+' || token === '~') {
      compounds = [];
      continue;
    }
    const compound = parseCompound(token);
    if (!compound) return null;
    compounds.push(compound);
  }
  return compounds.length ? compounds.slice(-MAX_COMPOUNDS) : null;
}

const indexKey = (c: Compound) => (c.ids[0] ? `#${c.ids[0]}` : c.classes[0] ? `.${c.classes[0]}` : c.tag ? c.tag : '*');

function elementKeys(e: ElementFacts): Set<string> {
  const keys = new Set(['*', e.tag]);
  if (e.attribs.id) keys.add(`#${e.attribs.id}`);
  for (const c of (e.attribs.class ?? '').split(/\s+/)) if (c) keys.add(`.${c}`);
  return keys;
}

function matches(c: Compound, e: ElementFacts): boolean {
  if (c.tag && c.tag !== e.tag) return false;
  if (c.ids.some((id) => e.attribs.id !== id)) return false;
  if (c.classes.length) {
    const classes = new Set((e.attribs.class ?? '').split(/\s+/));
    if (c.classes.some((cl) => !classes.has(cl))) return false;
  }
  return c.attrs.every((a) => a.name in e.attribs && (a.value === null || e.attribs[a.name] === a.value));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The rules of the given stylesheets (the text of each `<style>` element). Throws
 * UnparseableEmailError when a stylesheet holds more hiding rules, or makes the walk test more
 * selectors, than any real mail needs: such HTML cannot be read safely.
 */
export function stylesheetRules(stylesheets: string[]): StylesheetRules {
  const rules: Rule[] = [];
  const ancestorCompounds: Compound[] = [];
  let hiding = 0;
  let other = 0;
  for (const css of stylesheets) {
    for (const rule of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const selectorText = rule[1]!.trim();
      if (selectorText.startsWith('@')) continue;
      const declarations = new Map([...parseDeclarations(rule[2]!)].filter(([p]) => VISIBILITY_PROPERTIES.has(p)));
      if (declarations.size === 0) continue;
      const hides = couldHide(declarations);
      for (const one of selectorText.split(',')) {
        const compounds = parseSelector(one);
        if (!compounds) continue;
        if (hides && ++hiding > MAX_HIDING_RULES) throw new UnparseableEmailError(`a stylesheet with more than ${MAX_HIDING_RULES} rules that hide text`);
        if (!hides && ++other > MAX_OTHER_RULES) continue;
        const ancestors = compounds.slice(0, -1).map((c) => ancestorCompounds.push(c) - 1);
        rules.push({ order: rules.length, ancestors, last: compounds.at(-1)!, declarations });
      }
    }
  }
  const byLast = new Map<string, Rule[]>();
  rules.forEach((r) => push(byLast, indexKey(r.last), r));
  const ancestorsByKey = new Map<string, number[]>();
  ancestorCompounds.forEach((c, i) => push(ancestorsByKey, indexKey(c), i));
  // How many open elements match each ancestor compound, and which ones each open element added.
  const open = new Array<number>(ancestorCompounds.length).fill(0);
  const frames: number[][] = [];
  let work = 0;

  return {
    enter(element) {
      if (rules.length === 0) return [];
      const keys = elementKeys(element);
      const selected: Rule[] = [];
      const added: number[] = [];
      for (const key of keys) {
        const candidates = byLast.get(key) ?? [];
        const ancestors = ancestorsByKey.get(key) ?? [];
        work += candidates.length + ancestors.length;
        for (const r of candidates) if (matches(r.last, element) && r.ancestors.every((i) => open[i]! > 0)) selected.push(r);
        for (const i of ancestors) if (matches(ancestorCompounds[i]!, element)) added.push(i);
      }
      if (work > MAX_MATCH_WORK) throw new UnparseableEmailError('HTML whose stylesheet is too costly to apply');
      for (const i of added) open[i]!++;
      frames.push(added);
      return selected.sort((a, b) => a.order - b.order).map((r) => r.declarations);
    },
    leave() {
      if (rules.length === 0) return;
      for (const i of frames.pop() ?? []) open[i]!--;
    },
  };
}
