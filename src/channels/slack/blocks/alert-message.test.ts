import { describe, expect, it } from 'vitest';
import { ALERT_ACTION_PATTERN } from '../action-ids.js';
import { alertMessage, parseAlertButtonValue } from './alert-message.js';

describe('alertMessage', () => {
  it('shows severity, subject and reasons, with one button per suggested action', () => {
    const m = alertMessage({
      id: 'alr_1',
      subject: 'Order held for review — order #W1',
      severity: 'warning',
      reasons: ['new device', 'address differs'],
      actions: [
        { label: 'Release hold', tool: 'release_order', args: { order_id: '#W1' } },
        { label: 'Cancel & refund', tool: 'cancel_order', args: { order_id: '#W1', reason: 'no longer needed' } },
      ],
    });
    expect(m.text).toBe('WARNING: Order held for review — order #W1 — new device; address differs');
    const buttons = m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements as { action_id: string; value: string }[]);
    expect(buttons.every((b) => ALERT_ACTION_PATTERN.test(b.action_id))).toBe(true);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(2);
    expect(buttons.map((b) => parseAlertButtonValue(b.value))).toEqual([
      { alertId: 'alr_1', index: 0 },
      { alertId: 'alr_1', index: 1 },
    ]);
  });

  it('has no actions block when nothing is suggested', () => {
    const m = alertMessage({ id: 'a', subject: 's', severity: 'info', reasons: [], actions: [] });
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
