import { describe, expect, it } from 'vitest';
import { stylesheetRules, type ElementFacts } from './stylesheet-rules.js';
import { UnparseableEmailError } from './unparseable-email-error.js';

const el = (tag: string, attribs: Record<string, string> = {}): ElementFacts => ({ tag, attribs });

/** Enters `path` (outermost first) and returns what selects the last element. */
function declarationsAt(css: string, path: ElementFacts[]): Record<string, string>[] {
  const rules = stylesheetRules([css]);
  let last: Map<string, string>[] = [];
  for (const e of path) last = rules.enter(e);
  return last.map((m) => Object.fromEntries(m));
}

describe('stylesheetRules', () => {
  it('selects by class, id, tag, attribute and *, and keeps only what bears on visibility', () => {
    const css = `/* x */ .hide { display: none; margin: 0 } #gone{visibility:hidden} blink { font-size:0 } [data-x] { opacity: 0 } *[title="t"]{color:#fff} p { margin: 4px }`;
    expect(declarationsAt(css, [el('span', { class: 'a hide' })])).toEqual([{ display: 'none' }]);
    expect(declarationsAt(css, [el('div', { id: 'gone' })])).toEqual([{ visibility: 'hidden' }]);
    expect(declarationsAt(css, [el('blink')])).toEqual([{ 'font-size': '0' }]);
    expect(declarationsAt(css, [el('p', { 'data-x': '' })])).toEqual([{ opacity: '0' }]);
    expect(declarationsAt(css, [el('p', { title: 't' })])).toEqual([{ color: '#fff' }]);
    expect(declarationsAt(css, [el('p', { title: 'u' })])).toEqual([]);
  });

  it('follows descendant and child combinators, and rules inside @media, in document order', () => {
    const css = '@media screen { div.box > .inner span { display:none } } span { color: red }';
    expect(declarationsAt(css, [el('div', { class: 'box' }), el('p', { class: 'inner' }), el('b'), el('span')])).toEqual([{ display: 'none' }, { color: 'red' }]);
    expect(declarationsAt(css, [el('div'), el('p', { class: 'inner' }), el('span')])).toEqual([{ color: 'red' }]);
  });

  it('skips rules for generated content', () => {
    expect(declarationsAt('.b::before { display: none } .c:after{display:none}', [el('i', { class: 'b c' })])).toEqual([]);
  });

  it('forgets an ancestor once it is left', () => {
    const rules = stylesheetRules(['.outer span { display: none }']);
    rules.enter(el('div', { class: 'outer' }));
    expect(rules.enter(el('span')).length).toBe(1);
    rules.leave();
    rules.leave();
    expect(rules.enter(el('span'))).toEqual([]);
  });

  it('refuses a stylesheet with more hiding rules than any mail needs', () => {
    const css = Array.from({ length: 2001 }, (_, i) => `.h${i} { display: none }`).join('\n');
    expect(() => stylesheetRules([css])).toThrow(UnparseableEmailError);
  });
});
