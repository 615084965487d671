import { describe, expect, it } from 'vitest';
import { classifyIntent, extractEntities, mentions, withoutSignature, words } from './offline-intent.js';

const intentOf = (text: string, persona: 'ops' | 'customer' = 'customer') => classifyIntent(text, extractEntities(text), persona);

describe('offline intent recogniser', () => {
  it('reads a typo in a long keyword but not a different short word', () => {
    expect(mentions(words('cancle it'), 'cancel')).toBe(true);
    expect(mentions(words('shipped'), 'ship')).toBe(true);
    expect(mentions(words('anything stuck'), 'stock')).toBe(false);
    expect(mentions(words('hi there'), 'where')).toBe(false);
  });

  it('never takes a negated action as the action', () => {
    expect(intentOf('Please do NOT cancel W1000005')).toBe('other');
    expect(intentOf("don't release W2000003 until finance confirms", 'ops')).toBe('other');
  });

  it('hands off two different actions in one message and actions on all orders', () => {
    expect(intentOf('cancel W1000005 and return W1000009')).toBe('other');
    expect(intentOf('please cancel the return I started')).toBe('other');
    expect(intentOf('release all held orders', 'ops')).toBe('other');
  });

  it('hands off requests that sound like ours but are not', () => {
    expect(intentOf('can I change my payment card on order W1000001?')).toBe('other');
    expect(intentOf('my package says delivered but it is not here, W1000002')).toBe('other');
    expect(intentOf('do you ship to Canada?')).toBe('other');
  });

  it('reads a staff reason as context, a customer reason as part of the request', () => {
    expect(intentOf('hold W1000008 - chargeback risk', 'ops')).toBe('hold');
    expect(intentOf('cancel W1000005 - I was charged twice')).toBe('other');
  });

  it('takes a plain question about a named order as a status question, a request about it not', () => {
    expect(intentOf('whats going on with #w1000003 ??')).toBe('wismo');
    expect(intentOf('why is W2000003 on hold?', 'ops')).toBe('wismo');
    expect(intentOf('can you add a note to W1000001?')).toBe('other');
  });

  it('ignores the sign-off of an email', () => {
    expect(withoutSignature('has it shipped?\n\nKind regards,\nCarla\nOffice Manager')).toBe('has it shipped?\n');
    expect(intentOf('has my order shipped yet?\n\nKind regards,\nCarla\nOffice Manager')).toBe('wismo');
  });
});
