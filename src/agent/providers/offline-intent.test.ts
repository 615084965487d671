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
    expect(intentOf('my package says delivered but it is not here')).toBe('other');
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

  it('reads a not-arrived complaint about a named order as a status question, which its status then settles', () => {
    expect(intentOf('my package says delivered but it is not here, W1000002')).toBe('wismo');
    expect(intentOf('the parcel for W1000005 still has not come')).toBe('wismo');
  });

  it('takes an order number without a change verb from staff as a status question', () => {
    expect(intentOf('have a look at #W1000005 for me', 'ops')).toBe('wismo');
    expect(intentOf('client claims W1000007 never showed up', 'ops')).toBe('wismo');
    expect(intentOf('void the label on W1000003', 'ops')).toBe('other');
    expect(intentOf('merge W1000004 into W1000005', 'ops')).toBe('other');
  });

  it('takes an email address from staff as a customer lookup', () => {
    expect(intentOf('details on sam.lee@example.org', 'ops')).toBe('customer_lookup');
    expect(intentOf('send a note to sam.lee@example.org', 'ops')).toBe('other');
  });

  it('recognises low stock, approvals waiting and the briefing for staff only', () => {
    expect(intentOf('which items run out soonest', 'ops')).toBe('low_stock');
    expect(intentOf('is anything close to selling out?', 'ops')).toBe('low_stock');
    expect(intentOf('anything important I missed?', 'ops')).toBe('briefing');
    expect(intentOf('list approvals', 'ops')).toBe('list_approvals');
    expect(intentOf('approve apr_123', 'ops')).not.toBe('list_approvals');
    expect(intentOf('give me an overview for the day', 'ops')).toBe('briefing');
    expect(intentOf('give me an overview for the day')).toBe('other');
  });

  it("takes a staff change to the store's own things as out of reach, even with an action word inside", () => {
    expect(intentOf('edit the refund-and-return wording on the checkout', 'ops')).toBe('other');
    expect(intentOf('could you redo the exchange instructions card', 'ops')).toBe('other');
    expect(intentOf('set up a hold reminder for the night shift', 'ops')).toBe('other');
    // The action itself, even led by a verb that also is a change verb, stays the action.
    expect(intentOf('send them back to the warehouse', 'ops')).toBe('return');
    expect(intentOf('return the items', 'ops')).toBe('return');
    expect(intentOf('change the address on #W1000001 to 12 Main Street, Springfield, IL, 62704', 'ops')).toBe('address');
  });

  it('takes throwing away or calling off an order as a cancel, and its negation as not one', () => {
    expect(intentOf('please scratch my last order')).toBe('cancel');
    expect(intentOf('can we get rid of order #W1000003')).toBe('cancel');
    expect(intentOf('call the order off')).toBe('cancel');
    expect(intentOf('abort W1000003', 'ops')).toBe('cancel');
    expect(intentOf('never mind, do not drop my order')).toBe('other');
    // Without an order as the object, the same verbs are not a cancel.
    expect(intentOf('drop me a line when it ships')).not.toBe('cancel');
  });

  it('takes a general question about how the store works as a policy question', () => {
    expect(intentOf('what is the policy on exchanges?')).toBe('policy');
    expect(intentOf('how many days is the warranty on lamps?')).toBe('policy');
    expect(intentOf('how long until my order gets here?')).toBe('wismo');
    expect(intentOf('um, my t-shirt?')).toBe('wismo');
  });

  it('ignores the sign-off of an email', () => {
    expect(withoutSignature('has it shipped?\n\nKind regards,\nCarla\nOffice Manager')).toBe('has it shipped?\n');
    expect(intentOf('has my order shipped yet?\n\nKind regards,\nCarla\nOffice Manager')).toBe('wismo');
  });
});
