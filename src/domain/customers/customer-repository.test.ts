import { expect, it } from 'vitest';
import { seedTauFixture } from '../../../test/support/tau-retail-fixture.js';
import { describeEachDb } from '../../../test/support/test-db.js';
import { findCustomerIdByEmail, findCustomerIdByNameZip, getCustomerDetails } from './customer-repository.js';

describeEachDb('customer repository', (ctx) => {
  it('finds a customer by email ignoring case', async () => {
    const f = await seedTauFixture(ctx.db);
    const { rows } = await ctx.db.query<{ email: string }>('SELECT email FROM customers WHERE id = $1', [f.ana]);
    expect(await findCustomerIdByEmail(ctx.db, rows[0]!.email.toUpperCase())).toBe(f.ana);
    expect(await findCustomerIdByEmail(ctx.db, 'nobody@example.test')).toBeNull();
  });

  it('finds a customer by name ignoring case and by the exact zip', async () => {
    const f = await seedTauFixture(ctx.db);
    await ctx.db.query('UPDATE customers SET first_name = $2 WHERE id = $1', [f.ben, `Ben${f.ben}`]);
    expect(await findCustomerIdByNameZip(ctx.db, `BEN${f.ben.toUpperCase()}`, 'okafor', '62702')).toBe(f.ben);
    expect(await findCustomerIdByNameZip(ctx.db, `Ben${f.ben}`, 'Okafor', '62702 ')).toBeNull();
  });

  it('returns the first match in import order when several share name and zip', async () => {
    await seedTauFixture(ctx.db);
    await seedTauFixture(ctx.db);
    const firstAna = await findCustomerIdByNameZip(ctx.db, 'ana', 'LIMA', '62701');
    const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM customers WHERE first_name = 'Ana' ORDER BY seq LIMIT 1`);
    expect(firstAna).toBe(rows[0]!.id);
  });

  it('returns the tau user shape with payment methods and orders in the customer’s own order', async () => {
    const f = await seedTauFixture(ctx.db);
    const ana = await getCustomerDetails(ctx.db, f.ana);
    expect(ana).toEqual({
      name: { first_name: 'Ana', last_name: 'Lima' },
      address: { address1: '1 Elm Street', address2: 'Apt 1', city: 'Springfield', country: 'USA', state: 'IL', zip: '62701' },
      email: expect.stringMatching(/^Ana\.Lima\d+@Example\.test$/),
      payment_methods: {
        [f.cardA]: { source: 'credit_card', brand: 'visa', last_four: '4242', id: f.cardA },
        [f.giftA]: { source: 'gift_card', balance: 60, id: f.giftA },
        [f.paypalA]: { source: 'paypal', id: f.paypalA },
      },
      orders: [f.delivered, f.pendingCard, f.pendingGift, f.processed, f.cancelled],
    });
    expect(await getCustomerDetails(ctx.db, 'nobody_0')).toBeNull();
  });
});
