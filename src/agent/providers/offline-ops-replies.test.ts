import { describe, expect, it } from 'vitest';
import type { ToolOutcome } from './offline-action-words.js';
import { briefingReply, briefingSections } from './offline-ops-replies.js';

const now = new Date('2026-12-03T09:00:00Z');
const outcome = (name: string, data: unknown): ToolOutcome => ({ name, input: {}, ok: true, data, error: '' });
const inbox = outcome('get_inbox', {
  items: [
    { kind: 'held_order', id: 'held_order:#W1', title: 'Order #W1 on hold', detail: 'address mismatch', waiting: '3 h 0 min', since: '2026-12-03T06:00:00Z', order_id: '#W1' },
    { kind: 'flag', id: 'flag:1', title: 'order_risk on #W1', detail: '', waiting: '2 d', since: '2026-12-01T09:00:00Z' },
    { kind: 'flag', id: 'flag:2', title: 'order_sla on #W2', detail: '', waiting: '1 h 0 min', since: '2026-12-03T08:00:00Z' },
  ],
});
const low = outcome('list_low_stock', {
  items: [{ sku: 'MUG-1', product: 'Mug', options: {}, location: 'east', available: 1, on_hand: 1, reserved: 0, daily_velocity: 0.5, days_of_cover: 2 }],
});

describe('the daily briefing', () => {
  it('has one section per kind of waiting work and one for low stock, flags counting those since yesterday', () => {
    const sections = briefingSections(inbox, low, now);
    expect(sections.map((s) => s.heading)).toEqual(['On hold (1):', 'In exception (0):', 'Past their SLA (0):', 'Approvals waiting (0):', 'Open flags (2):', 'Failed jobs (0):', 'Low stock (1):']);
    expect(sections[4]!.note).toBe('1 raised since yesterday.');
    expect(sections[6]!.lines[0]).toMatch(/^Mug, SKU MUG-1 at east: 1 available .*2 days of cover/);
  });

  it('reads as a list in the assistant reply, with none for an empty section', () => {
    const reply = briefingReply(inbox, low, now);
    expect(reply).toContain('On hold (1):\n- Order #W1 on hold (address mismatch), waiting 3 h 0 min');
    expect(reply).toContain('In exception (0): none.');
    expect(reply).toContain('Low stock (1):\n- Mug, SKU MUG-1');
  });
});
