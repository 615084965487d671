import { describe, expect, it } from 'vitest';
import { stripQuotedText } from './strip-quoted-text.js';
import { UnparseableEmailError } from './unparseable-email-error.js';
import { MAX_HTML_CHARS, MAX_HTML_DEPTH, visibleHtmlText } from './visible-html-text.js';

describe('visibleHtmlText', () => {
  it('turns blocks into lines and paragraphs, collapses whitespace and decodes entities', () => {
    const html = '<html><body><p>Hello   <b>there</b>,</p><div>where&nbsp;is my <a href="https://x.example">order</a>&#x3F;</div>line<br>break<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table></body></html>';
    expect(visibleHtmlText(html)).toBe('Hello there,\n\nwhere is my order?\nline\nbreak\n\n- one\n- two\n\na b');
  });

  it('keeps preformatted text as written', () => {
    expect(visibleHtmlText('<pre>a\n  b</pre>')).toBe('a\n  b');
  });

  it.each([
    ['the hidden attribute', '<p hidden>SECRET</p>'],
    ['aria-hidden', '<div aria-hidden="TRUE">SECRET</div>'],
    ['display:none', '<div style="display:none"><p>SECRET</p></div>'],
    ['visibility:hidden', '<span style="visibility:hidden">SECRET</span>'],
    ['font-size:0', '<span style="font-size:0">SECRET</span>'],
    ['zero size', '<div style="height:0;width:0;overflow:hidden">SECRET</div>'],
    ['white on white', '<span style="color:#ffffff">SECRET</span>'],
    ['a font colour like the cell behind it', '<table bgcolor="#000000"><tr><td><font color="black">SECRET</font></td></tr></table>'],
    ['a <style> rule', '<style>.x{display:none}</style><span class="x">SECRET</span>'],
    ['<template>', '<template><p>SECRET</p></template>'],
    ['<script>', '<script>SECRET</script>'],
    ['<style> text', '<style>/* SECRET */ p { color: red }</style>'],
    ['a comment', '<!-- SECRET -->'],
    ['the head', '<head><title>SECRET</title></head>'],
    ['a hidden input', '<input type="hidden" value="SECRET">'],
  ])('leaves out text hidden by %s', (_label, hidden) => {
    const text = visibleHtmlText(`<p>Where is my order?</p>${hidden}<p>Thanks</p>`);
    expect(text).toBe('Where is my order?\n\nThanks');
  });

  it('shows text an inner element makes readable again, as a browser does', () => {
    expect(visibleHtmlText('<div style="font-size:0"><span style="font-size:14px">Order #W1</span> gap</div>')).toBe('Order #W1');
    expect(visibleHtmlText('<div style="visibility:hidden">hidden <span style="visibility:visible">Shown</span></div>')).toBe('Shown');
    expect(visibleHtmlText('<style>.w{font-size:0}</style><div class="w">gap<p style="font-size:1em">still tiny</p><p style="font-size:16px">Shown</p></div>')).toBe('Shown');
  });

  it('lets the hiding side win where the cascade is not worked out', () => {
    expect(visibleHtmlText('<style>.x { display: none !important }</style><p class="x" style="display:block">SECRET</p><p>ok</p>')).toBe('ok');
    expect(visibleHtmlText('<style>#y { color: #fff } .z { color: #000 }</style><p id="y" class="z">SECRET</p><p>ok</p>')).toBe('ok');
    expect(visibleHtmlText('<p style="font: 0/0 a">SECRET</p><p>ok</p>')).toBe('ok');
  });

  it('keeps white text on a dark background', () => {
    expect(visibleHtmlText('<td style="background:#1a1a1a"><span style="color:#fff">Shown</span></td>')).toBe('Shown');
  });

  it('drops zero-width characters that split words', () => {
    expect(visibleHtmlText('<p>re\u200bfund</p>')).toBe('refund');
  });

  it('marks blockquoted history with "> " so it is stripped like a plain-text quote', () => {
    const html = '<div>Yes please</div><div class="gmail_quote"><div>On Mon, 2 Jun 2025, Shop &lt;s@shop.example&gt; wrote:</div><blockquote><p>Reply YES to confirm</p><blockquote>older</blockquote></blockquote></div>';
    const text = visibleHtmlText(html);
    expect(text).toContain('> Reply YES to confirm');
    expect(text).toContain('> > older');
    expect(stripQuotedText(text)).toBe('Yes please');
  });

  it('refuses HTML nested past the limit, quickly', () => {
    const deep = '<b>'.repeat(MAX_HTML_DEPTH + 1);
    expect(() => visibleHtmlText(deep)).toThrow(UnparseableEmailError);
    expect(visibleHtmlText(`${'<b>'.repeat(MAX_HTML_DEPTH - 5)}deep`)).toBe('deep');
    expect(() => visibleHtmlText('<div>'.repeat(2_000_000))).toThrow(/nested deeper/);
  });

  it('reads only the first MAX_HTML_CHARS of a long body, keeping what an open hidden element hid', () => {
    const para = '<p class="c">para <span>x</span></p>';
    const text = visibleHtmlText(`<style>.a .b{display:none}</style><p>Where is my order?</p>${para.repeat(100_000)}<p>TAIL</p>`);
    expect(text.startsWith('Where is my order?\n\npara x')).toBe(true);
    expect(text).not.toContain('TAIL');
    expect(text.length).toBeLessThan(MAX_HTML_CHARS);
    const cutInside = visibleHtmlText(`<p>Hi</p><div style="display:none">${'SECRET '.repeat(MAX_HTML_CHARS / 7)}</div><p>after</p>`);
    expect(cutInside).toBe('Hi');
  });

  it.each([
    ['a CSS escape in the value', '<div style="display:n\\one">SECRET</div>'],
    ['a hex escape', '<div style="display:\\6e one">SECRET</div>'],
    ['an escape in the property', '<div style="d\\isplay:none">SECRET</div>'],
    ['an escaped visibility', '<span style="visibility:hidde\\n">SECRET</span>'],
    ['a comment inside the declaration', '<div style="display:/**/none">SECRET</div>'],
    ['an escape in a <style> rule', '<style>.x{display:n\\one}</style><span class="x">SECRET</span>'],
    ['rgba with alpha 0', '<span style="color:rgba(0,0,0,0)">SECRET</span>'],
    ['#rrggbbaa with alpha 0', '<span style="color:#00000000">SECRET</span>'],
    ['#rgba with alpha 0', '<span style="color:#0000">SECRET</span>'],
    ['the slash alpha form', '<span style="color:rgb(0 0 0 / 0%)">SECRET</span>'],
    ['a large negative margin', '<div style="margin-left:-9999px">SECRET</div>'],
    ['<noframes>', '<noframes>SECRET</noframes>'],
    ['a closed <details>', '<details><summary>More</summary>SECRET</details>'],
  ])('leaves out text hidden by %s', (_label, hidden) => {
    const text = visibleHtmlText(`<p>Where is my order?</p>${hidden}<p>Thanks</p>`);
    expect(text).not.toContain('SECRET');
    expect(text).toMatch(/^Where is my order\?/);
    expect(text).toMatch(/Thanks$/);
  });

  it('shows an open <details> and a half-transparent colour', () => {
    expect(visibleHtmlText('<details open><summary>More</summary>Shown</details>')).toBe('More\nShown');
    expect(visibleHtmlText('<span style="color:rgba(0,0,0,0.6)">Shown</span>')).toBe('Shown');
  });
});
