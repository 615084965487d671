import { describe, expect, it } from 'vitest';
import { couldHide, declaredBackground, declaredFontPx, hidesSubtree, parseCssColor, parseDeclarations } from './hidden-style.js';

const d = parseDeclarations;

describe('hidesSubtree', () => {
  it.each([
    'display:none',
    'DISPLAY : NONE !important',
    'mso-hide: all',
    'opacity: 0',
    'width:0;height:0;overflow:hidden',
    'max-height: 0px; overflow: hidden',
    'text-indent: -9999px',
    'position: absolute; left: -10000px',
    'clip: rect(0, 0, 0, 0); position: absolute',
    'clip-path: inset(50%)',
    'transform: scale(0)',
  ])('hides an element and its content styled %s', (style) => {
    expect(hidesSubtree(d(style))).toBe(true);
  });

  it.each(['', 'display: block', 'opacity: 0.9', 'position: relative; left: -4px', 'height: 20px', 'visibility: hidden', 'font-size: 0', 'color: #fff'])(
    'leaves "%s" to the walk (nothing, or something an inner element can undo)',
    (style) => {
      expect(hidesSubtree(d(style))).toBe(false);
    },
  );
});

describe('declaredFontPx', () => {
  it('reads font-size and the font shorthand, relative units against the parent', () => {
    expect(declaredFontPx(d('font-size: 0'), 16)).toBe(0);
    expect(declaredFontPx(d('font-size: 12pt'), 16)).toBe(16);
    expect(declaredFontPx(d('font-size: 0.5em'), 10)).toBe(5);
    expect(declaredFontPx(d('font-size: 50%'), 10)).toBe(5);
    expect(declaredFontPx(d('font: 0/0 a'), 16)).toBe(0);
    expect(declaredFontPx(d('font: bold 700 14px/1.4 Arial, sans-serif'), 16)).toBe(14);
    expect(declaredFontPx(d('color: red'), 16)).toBeUndefined();
  });
});

describe('couldHide', () => {
  it('keeps every rule that can hide text, alone or with a background set elsewhere', () => {
    for (const style of ['display:none', 'visibility:hidden', 'font-size:1px', 'color:#333']) expect(couldHide(d(style))).toBe(true);
    for (const style of ['font-size:14px', 'visibility:visible', 'background:#000', 'display:block']) expect(couldHide(d(style))).toBe(false);
  });
});

describe('colours', () => {
  it('reads hex, rgb() and the names that matter, and the background of a shorthand', () => {
    expect(parseCssColor('#FFF')).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseCssColor('rgb(1, 2, 3)')).toEqual({ r: 1, g: 2, b: 3 });
    expect(parseCssColor('white')).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseCssColor('var(--x)')).toBeNull();
    expect(declaredBackground(d('background: url(x.png) #0a6cff no-repeat'))).toEqual({ r: 10, g: 108, b: 255 });
  });
});
