import { DomHandler, DomUtils, Parser } from 'htmlparser2';
import {
  colorsClose,
  DEFAULT_FONT_PX,
  declaredBackground,
  declaredFontPx,
  hidesSubtree,
  isTransparentColor,
  parseCssColor,
  parseDeclarations,
  unreadable,
  WHITE,
  type Rgb,
} from './hidden-style.js';
import { stylesheetRules } from './stylesheet-rules.js';
import { UnparseableEmailError } from './unparseable-email-error.js';

type DomNode = DomHandler['root']['children'][number];

// htmlparser2 keeps its open-element stack at the front of an array, so parsing costs the square
// of the nesting depth; a mail client would not show deeper markup as written anyway.
export const MAX_HTML_DEPTH = 1000;

// The model reads a few kilobytes of a mail; parsing and styling megabytes of markup would hold the
// event loop (SMTP, HTTP, Slack acks) for seconds, so only the start of a long body is read.
export const MAX_HTML_CHARS = 512 * 1024;

/** Elements whose content is never shown as the mail's text. */
const NEVER_SHOWN = new Set([
  'head', 'title', 'script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math',
  'canvas', 'audio', 'video', 'xml', 'meta', 'link', 'base', 'noframes', 'noembed',
]);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
const PARAGRAPHS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'ul', 'ol', 'pre']);
// Characters with no glyph: they carry no words, only a way to split them from a filter.
const INVISIBLE_CHARACTERS = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

class DepthLimitedHandler extends DomHandler {
  private depth = 0;
  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.depth > MAX_HTML_DEPTH) throw new UnparseableEmailError(`HTML nested deeper than ${MAX_HTML_DEPTH} levels`);
    super.onopentag(name, attribs);
  }
  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

function parse(html: string): DomNode[] {
  const handler = new DepthLimitedHandler();
  const parser = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  return handler.root.children;
}

/** Lines of output, each with the blockquote depth it was written at (rendered as "> " prefixes). */
class TextWriter {
  private readonly lines: { depth: number; text: string }[] = [];
  private line = { depth: 0, text: '' };
  private blankPending = false;
  quoteDepth = 0;

  text(words: string, pre: boolean): void {
    const chunk = pre ? words : words.replace(/[ \t\r\n\f\u00a0]+/g, ' ');
    for (const [i, piece] of chunk.split('\n').entries()) {
      if (i > 0) this.breakLine();
      const value = this.line.text === '' && !pre ? piece.replace(/^ +/, '') : piece;
      if (value === '') continue;
      if (this.line.text === '') {
        if (this.blankPending && this.lines.length) this.lines.push({ depth: this.quoteDepth, text: '' });
        this.blankPending = false;
        this.line.depth = this.quoteDepth;
      }
      this.line.text += value;
    }
  }

  breakLine(): void {
    if (this.line.text.trim() !== '') this.lines.push(this.line);
    this.line = { depth: this.quoteDepth, text: '' };
  }

  paragraph(): void {
    this.breakLine();
    this.blankPending = true;
  }

  toString(): string {
    this.breakLine();
    return this.lines
      .map((l) => `${'> '.repeat(l.depth)}${l.text.trimEnd()}`.trimEnd())
      .join('\n')
      .trim();
  }
}

/** What an element passes on to its content: what decides whether its text can be seen. */
interface Inherited {
  background: Rgb;
  /** null: the default, black. */
  color: Rgb | 'transparent' | null;
  fontPx: number;
  visible: boolean;
  pre: boolean;
}

interface Frame {
  node: DomNode;
  inherited: Inherited;
  /** Set once the element's children have been written: on the second visit it is closed. */
  leaving?: true;
}

const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const defined = <T>(v: T | undefined): v is T => v !== undefined;

/** The element's own state from all that styles it (attributes first, then stylesheet rules, then its style attribute). */
function inheritedFrom(parent: Inherited, sources: Map<string, string>[], pre: boolean): Inherited {
  const visibility = sources.map((d) => d.get('visibility')).filter(defined);
  const sizes = sources.map((d) => declaredFontPx(d, parent.fontPx)).filter(defined);
  const background = sources.map(declaredBackground).filter(defined).at(-1) ?? parent.background;
  const colors = sources.map((d) => d.get('color')).filter(defined);
  const parsed = colors.map(parseCssColor).filter((c): c is Rgb => c !== null);
  // Sources are not ranked by specificity: whichever of them hides more is taken to win.
  const color = colors.some(isTransparentColor)
    ? 'transparent'
    : (parsed.find((c) => colorsClose(c, background)) ?? parsed.at(-1) ?? parent.color);
  return {
    background,
    color,
    fontPx: sizes.length ? Math.min(...sizes) : parent.fontPx,
    visible: visibility.some((v) => v === 'hidden' || v === 'collapse') ? false : visibility.length ? true : parent.visible,
    pre,
  };
}

function textShows(state: Inherited): boolean {
  if (!state.visible || unreadable(state.fontPx) || state.color === 'transparent') return false;
  return !colorsClose(state.color ?? BLACK, state.background);
}

/**
 * The text a person sees when the HTML is shown in a mail client, and nothing else. Left out,
 * with everything inside them: elements hidden by attribute (`hidden`, `aria-hidden="true"`),
 * by a style that nothing inside can undo (not displayed, transparent, zero-sized, off screen,
 * clipped; see hidesSubtree), `<script>`, `<style>`, `<template>`, the document head, and
 * comments. Left out as text: what is invisible (`visibility: hidden`), too small to read, or
 * coloured like the background it sits on, unless an element inside sets it back. Styles come
 * from style attributes and `<style>` rules alike (see StylesheetRules). Blocks become lines,
 * `<blockquote>` lines are prefixed with "> " so quoted history is recognised, links keep only
 * their text. Only the first MAX_HTML_CHARS of the markup are read. Throws UnparseableEmailError for HTML nested deeper than MAX_HTML_DEPTH or with a
 * stylesheet too large to apply.
 */
export function visibleHtmlText(html: string): string {
  const roots = parse(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const stylesheets = DomUtils.getElementsByTagName('style', roots, true).map((s) => DomUtils.textContent(s));
  const rules = stylesheetRules(stylesheets);
  const out = new TextWriter();
  const page: Inherited = { background: WHITE, color: null, fontPx: DEFAULT_FONT_PX, visible: true, pre: false };
  const stack: Frame[] = roots.map((node) => ({ node, inherited: page })).reverse();

  while (stack.length) {
    const frame = stack.pop()!;
    const { node } = frame;
    if (DomUtils.isText(node)) {
      if (textShows(frame.inherited)) out.text(node.data.replace(INVISIBLE_CHARACTERS, ''), frame.inherited.pre);
      continue;
    }
    if (!DomUtils.isTag(node)) continue; // comments, CDATA, processing instructions
    const tag = node.name;
    if (frame.leaving) {
      rules.leave();
      if (tag === 'blockquote') out.quoteDepth--;
      if (PARAGRAPHS.has(tag)) out.paragraph();
      else if (BLOCKS.has(tag)) out.breakLine();
      else if (tag === 'td' || tag === 'th') out.text(' ', false);
      continue;
    }
    if (NEVER_SHOWN.has(tag)) continue;
    const attribs = node.attribs;
    if ('hidden' in attribs || attribs['aria-hidden']?.trim().toLowerCase() === 'true') continue;
    if (tag === 'input' && attribs.type?.toLowerCase() === 'hidden') continue;
    const presentational = new Map<string, string>();
    if (attribs.bgcolor) presentational.set('background-color', attribs.bgcolor.toLowerCase());
    if (tag === 'font' && attribs.color) presentational.set('color', attribs.color.toLowerCase());
    const sources = [presentational, ...rules.enter({ tag, attribs }), parseDeclarations(attribs.style ?? '')];
    if (sources.some(hidesSubtree)) {
      rules.leave();
      continue;
    }
    const inherited = inheritedFrom(frame.inherited, sources, frame.inherited.pre || tag === 'pre');

    if (tag === 'br') out.breakLine();
    else if (PARAGRAPHS.has(tag)) out.paragraph();
    else if (BLOCKS.has(tag)) out.breakLine();
    if (tag === 'li' && textShows(inherited)) out.text('- ', false);
    if (tag === 'blockquote') out.quoteDepth++;
    stack.push({ ...frame, leaving: true });
    // A closed <details> shows only its <summary> until the reader opens it.
    const closedDetails = tag === 'details' && !('open' in attribs);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i]!;
      if (closedDetails && !(DomUtils.isTag(child) && child.name === 'summary')) continue;
      stack.push({ node: child, inherited });
    }
  }
  return out.toString();
}
