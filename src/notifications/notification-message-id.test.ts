import { describe, expect, it } from 'vitest';
import { notificationMessageId } from './notification-message-id.js';

describe('notificationMessageId', () => {
  it('is the same for the same key and differs between keys', () => {
    const a = notificationMessageId('run:1:0', 'support@shop.example');
    expect(a).toMatch(/^<notification\.[0-9a-f]{32}@shop\.example>$/);
    expect(notificationMessageId('run:1:0', 'support@shop.example')).toBe(a);
    expect(notificationMessageId('run:1:1', 'support@shop.example')).not.toBe(a);
  });
});
