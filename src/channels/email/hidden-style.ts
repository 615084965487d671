/** An sRGB colour, 0-255 per channel. */
export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export const WHITE: Rgb = { r: 255, g: 255, b: 255 };
/** The font size text has when nothing sets one, in CSS pixels. */
export const DEFAULT_FONT_PX = 16;
/** Text smaller than this cannot be read. */
const MIN_READABLE_PX = 2;

const NAMED: Record<string, Rgb> = { white: WHITE, black: { r: 0, g: 0, b: 0 } };

/** A CSS colour value as RGB; null for what it cannot read (and for `transparent`). */
export function parseCssColor(value: string): Rgb | null {
  const v = value.trim().toLowerCase();
  const named = NAMED[v];
  if (named) return named;
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(v)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    return { r: parseInt(full.slice(0, 2), 16), g: parseInt(full.slice(2, 4), 16), b: parseInt(full.slice(4, 6), 16) };
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(v);
  if (rgb) return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) };
  return null;
}

/**
 * Whether a colour value draws nothing: `transparent`, or an alpha of (nearly) zero in
 * `#rrggbbaa`, `#rgba`, `rgba()` / `hsla()` or the space-separated `/ alpha` form.
 */
export function isTransparentColor(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return true;
  const hex = /^#(?:[0-9a-f]{3}([0-9a-f])|[0-9a-f]{6}([0-9a-f]{2}))$/.exec(v);
  if (hex) return parseInt(hex[1] ? hex[1] + hex[1] : hex[2]!, 16) < 26;
  const alpha = /^(?:rgb|hsl)a?\([^)]*?(?:,|\/)\s*([\d.]+)(%?)\s*\)$/.exec(v);
  if (alpha && (/^(?:rgb|hsl)a\(/.test(v) || v.includes('/'))) {
    const n = Number(alpha[1]) / (alpha[2] ? 100 : 1);
    return n < 0.1;
  }
  return false;
}

/**
 * CSS text as the browser reads it: comments gone and escapes decoded (`n\one`, `\6e one`), so
 * `display:n\one` is caught as `display:none`.
 */
export function decodeCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\\([0-9a-fA-F]{1,6})\s?|\\([^\n0-9a-fA-F])/g, (_m, hex: string | undefined, ch: string | undefined) =>
      hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : ch!,
    );
}

/** Whether text in colour `a` on background `b` is too close to it to be read. */
export const colorsClose = (a: Rgb, b: Rgb) => Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b)) <= 16;

/** `color: x; display: none !important` as lower-cased property → value, `!important` dropped. */
export function parseDeclarations(text: string): Map<string, string> {
  const declarations = new Map<string, string>();
  for (const part of decodeCss(text).split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const property = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).replace(/!\s*important/gi, '').trim().toLowerCase();
    if (property) declarations.set(property, value);
  }
  return declarations;
}

/** A length in CSS pixels, `em` and `%` relative to `relativeTo`; null for what it cannot read. */
function pixels(value: string, relativeTo = DEFAULT_FONT_PX): number | null {
  const m = /^(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|)$/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'pt':
      return n * (4 / 3);
    case 'em':
      return n * relativeTo;
    case 'rem':
      return n * DEFAULT_FONT_PX;
    case '%':
      return (n / 100) * relativeTo;
    default:
      return n;
  }
}

const isZero = (value: string | undefined) => value !== undefined && pixels(value) === 0;
const farOffscreen = (value: string | undefined) => value !== undefined && (pixels(value) ?? 0) <= -500;

/**
 * The font size these declarations give, in pixels, from `font-size` or the `font` shorthand
 * (where `font: 0/0 a` hides text); undefined when they set none.
 */
export function declaredFontPx(d: Map<string, string>, parentPx: number): number | undefined {
  const size = d.get('font-size');
  if (size !== undefined) return pixels(size, parentPx) ?? undefined;
  const font = d.get('font');
  if (font === undefined) return undefined;
  for (const token of font.split(/\s+/)) {
    const m = /^(\d*\.?\d+(?:px|pt|em|rem|%)|0)(\/\S*)?$/.exec(token) ?? /^(\d*\.?\d+)\/\S*$/.exec(token);
    if (m) return pixels(m[1]!, parentPx) ?? undefined;
  }
  return undefined;
}

/** Whether a font size (in pixels) is too small to read. */
export const unreadable = (px: number) => px < MIN_READABLE_PX;

/**
 * The background an element's own declarations set, for judging text drawn on it; undefined
 * when they set none (the element then shows its parent's).
 */
export function declaredBackground(declarations: Map<string, string>): Rgb | undefined {
  const value = declarations.get('background-color') ?? declarations.get('background');
  if (value === undefined) return undefined;
  for (const token of value.split(/\s+(?![^(]*\))/)) {
    const color = parseCssColor(token);
    if (color) return color;
  }
  return undefined;
}

/**
 * Whether these declarations hide an element with everything inside it, in a way nothing
 * inside can undo: not displayed, transparent, zero-sized, pushed off screen, clipped away,
 * scaled to nothing, or hidden from Outlook (`mso-hide: all`). Inherited properties that only
 * hide text (visibility, font size, colour) are judged by the document walk, because an element
 * inside can set them back.
 */
export function hidesSubtree(d: Map<string, string>): boolean {
  if (d.get('display') === 'none') return true;
  if (d.get('mso-hide') === 'all') return true;
  const opacity = d.get('opacity');
  if (opacity !== undefined && Number.parseFloat(opacity) < 0.1) return true;
  if (['width', 'height', 'max-width', 'max-height'].some((p) => isZero(d.get(p)))) return true;
  if (['text-indent', 'margin-left', 'margin-top', 'margin-right'].some((p) => farOffscreen(d.get(p)))) return true;
  if (/^(absolute|fixed)$/.test(d.get('position') ?? '') && (farOffscreen(d.get('left')) || farOffscreen(d.get('top')))) return true;
  if (/^rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)$/.test(d.get('clip') ?? '')) return true;
  if (/^inset\(\s*(50|100)%\s*\)$/.test(d.get('clip-path') ?? '')) return true;
  if (/scale\(\s*0(\.0+)?\s*\)/.test(d.get('transform') ?? '')) return true;
  return false;
}

/** Properties that bear on whether text is seen; a stylesheet rule setting none of them is ignored. */
export const VISIBILITY_PROPERTIES = new Set([
  'display', 'visibility', 'opacity', 'font-size', 'font', 'color', 'background', 'background-color', 'width', 'height',
  'max-width', 'max-height', 'position', 'left', 'top', 'text-indent', 'margin-left', 'margin-top', 'margin-right', 'clip', 'clip-path', 'transform', 'mso-hide',
]);

/**
 * Whether declarations could hide text, alone or with a background set elsewhere: the rules a
 * stylesheet must never lose. Rules that can only make text readable again (a readable size,
 * `visibility: visible`, a background) may be dropped when there are too many: that can only
 * hide more.
 */
export function couldHide(d: Map<string, string>): boolean {
  if (hidesSubtree(d) || d.has('color')) return true;
  if (d.get('visibility') === 'hidden' || d.get('visibility') === 'collapse') return true;
  const px = declaredFontPx(d, DEFAULT_FONT_PX);
  return px !== undefined && unreadable(px);
}
