import { describe, expect, it } from 'vitest';
import { context, divider, header, section } from './layout-blocks.js';

describe('layout blocks', () => {
  it('builds a header as plain text within 150 characters', () => {
    expect(header('Order #W1')).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Order #W1', emoji: true } });
    expect((header('h'.repeat(200)).text as { text: string }).text).toHaveLength(150);
  });

  it('builds a section as mrkdwn within 3000 characters', () => {
    expect(section('*x*')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*x*' } });
    expect((section('s'.repeat(4000)).text as { text: string }).text).toHaveLength(3000);
  });

  it('builds a context with one mrkdwn element per text, each within 2000 characters', () => {
    const block = context('a', 'c'.repeat(2500));
    const elements = block.elements as { type: string; text: string }[];
    expect(block.type).toBe('context');
    expect(elements.map((e) => e.type)).toEqual(['mrkdwn', 'mrkdwn']);
    expect(elements[0]?.text).toBe('a');
    expect(elements[1]?.text).toHaveLength(2000);
  });

  it('builds a divider', () => {
    expect(divider()).toEqual({ type: 'divider' });
  });
});
