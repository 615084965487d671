import type { TauRetailData } from '../../src/connectors/tau-retail/read-tau-retail-dir.js';
import { importTauRetailData } from '../../src/connectors/tau-retail/import-tau-retail.js';
import type { Db } from '../../src/db/db.js';
import { getCustomerDetails } from '../../src/domain/customers/customer-repository.js';
import { loadOrder, toRetailOrder } from '../../src/domain/orders/order-repository.js';
import { countLedgerRows } from './count-ledger-rows.js';

let counter = 0;

/** Ids of one seeded copy of the small tau-retail fixture. */
export interface TauFixture {
  ana: string;
  ben: string;
  cardA: string;
  giftA: string;
  paypalA: string;
  giftB: string;
  /** pending, paid 70.30 by cardA: lamp L1 (50.00) + mug M1 (10.10) twice */
  pendingCard: string;
  /** pending, paid 50.00 by giftA: lamp L1 */
  pendingGift: string;
  /** delivered, paid 60.10 by cardA: lamp L1 + mug M1 */
  delivered: string;
  processed: string;
  cancelled: string;
  /** ben's pending order, paid 22.35 by giftB: mug M1 (10.10) + mug M2 (12.25) */
  benPending: string;
  lamp: string;
  mug: string;
  /** lamp variants: L1 50.00, L2 71.96, L3 40.00 (unavailable) */
  L1: string;
  L2: string;
  L3: string;
  /** mug variants: M1 10.10, M2 12.25 */
  M1: string;
  M2: string;
}

const address = (street: string, zip: string) => ({ address1: street, address2: 'Apt 1', city: 'Springfield', country: 'USA', state: 'IL', zip });

/**
 * Imports a fresh copy of a tiny tau-retail world (two customers, two products, six orders) with
 * ids unique to this call, so tests on one database never see each other's records.
 * Ana's gift card holds 60.00, Ben's 10.00.
 */
export async function seedTauFixture(db: Db): Promise<TauFixture> {
  const s = `${process.pid}${++counter}${Date.now() % 100000}`;
  const f: TauFixture = {
    ana: `ana_lima_${s}`,
    ben: `ben_okafor_${s}`,
    cardA: `credit_card_a${s}`,
    giftA: `gift_card_a${s}`,
    paypalA: `paypal_a${s}`,
    giftB: `gift_card_b${s}`,
    pendingCard: `#P${s}`,
    pendingGift: `#G${s}`,
    delivered: `#D${s}`,
    processed: `#X${s}`,
    cancelled: `#C${s}`,
    benPending: `#B${s}`,
    lamp: `9${s}1`,
    mug: `9${s}2`,
    L1: `1${s}1`,
    L2: `1${s}2`,
    L3: `1${s}3`,
    M1: `2${s}1`,
    M2: `2${s}2`,
  };
  const lampOpts = (color: string) => ({ color });
  const item = (product: 'lamp' | 'mug', id: string, price: number, options: Record<string, string>) => ({
    name: product === 'lamp' ? 'Desk Lamp' : 'Coffee Mug',
    product_id: product === 'lamp' ? f.lamp : f.mug,
    item_id: id,
    price,
    options,
  });
  const anaAddress = address('1 Elm Street', '62701');
  const order = (id: string, user: string, status: string, items: ReturnType<typeof item>[], history: [string, number, string][]) => ({
    order_id: id,
    user_id: user,
    address: user === f.ana ? anaAddress : address('9 Oak Road', '62702'),
    items,
    fulfillments: status === 'pending' ? [] : [{ tracking_id: [`T${id.slice(2)}`], item_ids: items.map((i) => i.item_id) }],
    status,
    payment_history: history.map(([t, amount, pm]) => ({ transaction_type: t as 'payment' | 'refund', amount, payment_method_id: pm })),
  });
  const data: TauRetailData = {
    users: {
      [f.ana]: {
        name: { first_name: 'Ana', last_name: 'Lima' },
        address: anaAddress,
        email: `Ana.Lima${s}@Example.test`,
        payment_methods: {
          [f.cardA]: { source: 'credit_card', brand: 'visa', last_four: '4242', id: f.cardA },
          [f.giftA]: { source: 'gift_card', balance: 60, id: f.giftA },
          [f.paypalA]: { source: 'paypal', id: f.paypalA },
        },
        orders: [f.delivered, f.pendingCard, f.pendingGift, f.processed, f.cancelled],
      },
      [f.ben]: {
        name: { first_name: 'Ben', last_name: 'Okafor' },
        address: address('9 Oak Road', '62702'),
        email: `ben.okafor${s}@example.test`,
        payment_methods: { [f.giftB]: { source: 'gift_card', balance: 10, id: f.giftB } },
        orders: [f.benPending],
      },
    },
    orders: {
      [f.pendingCard]: order(f.pendingCard, f.ana, 'pending', [item('lamp', f.L1, 50, lampOpts('red')), item('mug', f.M1, 10.1, { size: 'small' }), item('mug', f.M1, 10.1, { size: 'small' })], [['payment', 70.3, f.cardA]]),
      [f.pendingGift]: order(f.pendingGift, f.ana, 'pending', [item('lamp', f.L1, 50, lampOpts('red'))], [['payment', 50, f.giftA]]),
      [f.delivered]: order(f.delivered, f.ana, 'delivered', [item('lamp', f.L1, 50, lampOpts('red')), item('mug', f.M1, 10.1, { size: 'small' })], [['payment', 60.1, f.cardA]]),
      [f.processed]: order(f.processed, f.ana, 'processed', [item('mug', f.M2, 12.25, { size: 'large' })], [['payment', 12.25, f.paypalA]]),
      [f.cancelled]: order(f.cancelled, f.ana, 'cancelled', [item('mug', f.M2, 12.25, { size: 'large' })], [['payment', 12.25, f.cardA], ['refund', 12.25, f.cardA]]),
      [f.benPending]: order(f.benPending, f.ben, 'pending', [item('mug', f.M1, 10.1, { size: 'small' }), item('mug', f.M2, 12.25, { size: 'large' })], [['payment', 22.35, f.giftB]]),
    },
    products: {
      [f.lamp]: {
        name: `Desk Lamp ${s}`,
        product_id: f.lamp,
        variants: {
          [f.L1]: { item_id: f.L1, options: lampOpts('red'), available: true, price: 50 },
          [f.L2]: { item_id: f.L2, options: lampOpts('blue'), available: true, price: 71.96 },
          [f.L3]: { item_id: f.L3, options: lampOpts('green'), available: false, price: 40 },
        },
      },
      [f.mug]: {
        name: `Coffee Mug ${s}`,
        product_id: f.mug,
        variants: {
          [f.M1]: { item_id: f.M1, options: { size: 'small' }, available: true, price: 10.1 },
          [f.M2]: { item_id: f.M2, options: { size: 'large' }, available: true, price: 12.25 },
        },
      },
    },
  };
  await importTauRetailData(db, data);
  return f;
}

/** Everything a refused retail operation must leave as it was. */
export async function retailSnapshot(db: Db, orderId: string, customerId: string): Promise<unknown> {
  const order = await loadOrder(db, orderId);
  return {
    order: order && { ...toRetailOrder(order), statusChangedAt: order.statusChangedAt.toISOString() },
    customer: await getCustomerDetails(db, customerId),
    rows: await countLedgerRows(db),
  };
}

/**
 * Runs an operation that must be refused with exactly `message`, and proves it wrote nothing:
 * the order, the customer and the row counts of every ledger table are as they were.
 */
export async function expectRefusedUnchanged(
  db: Db,
  run: () => Promise<unknown>,
  message: string,
  watch: { orderId: string; customerId: string },
): Promise<void> {
  const before = await retailSnapshot(db, watch.orderId, watch.customerId);
  let error: unknown = null;
  try {
    await run();
  } catch (err) {
    error = err;
  }
  if (!(error instanceof Error)) throw new Error(`expected refusal "${message}", but the operation succeeded`);
  if (error.name !== 'DomainError' || error.message !== message) {
    throw new Error(`expected DomainError "${message}", got ${error.name} "${error.message}"`);
  }
  const after = await retailSnapshot(db, watch.orderId, watch.customerId);
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`refused operation changed data:\nbefore ${JSON.stringify(before)}\nafter  ${JSON.stringify(after)}`);
  }
}
