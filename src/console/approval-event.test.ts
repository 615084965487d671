import { describe, expect, it } from 'vitest';
import { parseApprovalEvent } from './approval-event.js';

describe('parseApprovalEvent', () => {
  it('reads back an event as the publisher writes it', () => {
    const event = { type: 'approval.expired', approval_id: 'apr_1', status: 'expired', order_id: null };
    expect(parseApprovalEvent(JSON.stringify(event))).toEqual(event);
  });

  it('ignores a payload that is not an approval event, so a stray NOTIFY on the channel cannot break a stream', () => {
    expect(parseApprovalEvent('not json')).toBeNull();
    expect(parseApprovalEvent('{"type":"order.created","approval_id":"apr_1","status":"pending","order_id":null}')).toBeNull();
    expect(parseApprovalEvent('{"type":"approval.decided","approval_id":"apr_1","status":"done","order_id":null}')).toBeNull();
    expect(parseApprovalEvent('{"type":"approval.decided","status":"rejected","order_id":"#W1"}')).toBeNull();
  });
});
