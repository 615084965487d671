import type { Db } from '../../src/db/db.js';
import { importTauRetailData } from '../../src/connectors/tau-retail/import-tau-retail.js';
import type { TauRetailData } from '../../src/connectors/tau-retail/read-tau-retail-dir.js';
import type { TauOrder } from '../../src/connectors/tau-retail/tau-retail-schema.js';

/**
 * A small store for agent tests: two customers (Alice and Bob), a T-shirt with four variants and
 * a desk lamp, and orders in every state the tools care about. Loaded through the tau-retail
 * importer, so ids and shapes are those of the real data.
 */
const TSHIRT = '9523456873';
const LAMP = '6817146515';
const products: TauRetailData['products'] = {
  [TSHIRT]: {
    name: 'T-Shirt',
    product_id: TSHIRT,
    variants: {
      '1000000001': { item_id: '1000000001', options: { color: 'blue', size: 'M' }, available: true, price: 20 },
      '1000000002': { item_id: '1000000002', options: { color: 'red', size: 'M' }, available: true, price: 22.5 },
      '1000000003': { item_id: '1000000003', options: { color: 'blue', size: 'L' }, available: true, price: 21 },
      '1000000004': { item_id: '1000000004', options: { color: 'green', size: 'M' }, available: false, price: 19 },
    },
  },
  [LAMP]: {
    name: 'Desk Lamp',
    product_id: LAMP,
    variants: {
      '2000000001': { item_id: '2000000001', options: { color: 'black', brightness: 'high' }, available: true, price: 80 },
      '2000000002': { item_id: '2000000002', options: { color: 'white', brightness: 'low' }, available: true, price: 75 },
    },
  },
};

const shirt = (id: string) => {
  const v = products[TSHIRT]!.variants[id]!;
  return { name: 'T-Shirt', product_id: TSHIRT, item_id: id, price: v.price, options: v.options };
};
const lamp = (id: string) => {
  const v = products[LAMP]!.variants[id]!;
  return { name: 'Desk Lamp', product_id: LAMP, item_id: id, price: v.price, options: v.options };
};

const ALICE_ADDRESS = { address1: '1 Elm Street', address2: '', city: 'Austin', country: 'USA', state: 'TX', zip: '73301' };
const BOB_ADDRESS = { address1: '9 Oak Avenue', address2: 'Apt 2', city: 'Denver', country: 'USA', state: 'CO', zip: '80202' };

function order(id: string, user: string, status: string, items: TauOrder['items'], method: string): TauOrder {
  const total = Math.round(items.reduce((s, i) => s + i.price * 100, 0)) / 100;
  return {
    order_id: id,
    user_id: user,
    address: user === 'alice_ng_1001' ? ALICE_ADDRESS : BOB_ADDRESS,
    items,
    fulfillments: status === 'pending' ? [] : [{ tracking_id: [`TRK${id.slice(2)}`], item_ids: items.map((i) => i.item_id) }],
    status,
    payment_history: [{ transaction_type: 'payment', amount: total, payment_method_id: method }],
  };
}

export const ALICE = 'alice_ng_1001';
export const BOB = 'bob_stone_2002';
export const ALICE_CARD = 'credit_card_1000001';
export const ALICE_GIFT = 'gift_card_1000002';
export const BOB_CARD = 'credit_card_2000001';
export const BOB_GIFT = 'gift_card_2000002';

const aliceOrders: TauOrder[] = [
  order('#W1000001', ALICE, 'pending', [shirt('1000000001'), lamp('2000000001')], ALICE_CARD),
  order('#W1000002', ALICE, 'delivered', [shirt('1000000001')], ALICE_GIFT),
  order('#W1000003', ALICE, 'processed', [lamp('2000000002')], ALICE_CARD),
  order('#W1000004', ALICE, 'pending', [shirt('1000000003')], ALICE_CARD),
  order('#W1000005', ALICE, 'pending', [shirt('1000000001')], ALICE_CARD),
  order('#W1000006', ALICE, 'delivered', [shirt('1000000002'), lamp('2000000002')], ALICE_CARD),
  order('#W1000007', ALICE, 'delivered', [shirt('1000000003')], ALICE_CARD),
  order('#W1000008', ALICE, 'pending', [lamp('2000000001')], ALICE_CARD),
  order('#W1000009', ALICE, 'delivered', [lamp('2000000001')], ALICE_CARD),
];
const bobOrders: TauOrder[] = [
  order('#W2000001', BOB, 'pending', [shirt('1000000002')], BOB_CARD),
  order('#W2000002', BOB, 'delivered', [lamp('2000000001'), shirt('1000000001')], BOB_CARD),
  order('#W2000003', BOB, 'processed', [shirt('1000000003')], BOB_GIFT),
];

export const CARLA = 'carla_diaz_3003';
export const DAN = 'dan_kim_4004';
const CARLA_ADDRESS = { address1: '77 Pine Road', address2: '', city: 'Seattle', country: 'USA', state: 'WA', zip: '98101' };
const DAN_ADDRESS = { address1: '300 Lake Drive', address2: 'Suite 10', city: 'Chicago', country: 'USA', state: 'IL', zip: '60601' };
const carlaOrders: TauOrder[] = [{ ...order('#W3000001', CARLA, 'processed', [lamp('2000000002')], 'paypal_3000001'), address: CARLA_ADDRESS }];
const danOrders: TauOrder[] = [
  { ...order('#W4000001', DAN, 'pending', [lamp('2000000001')], 'credit_card_4000001'), address: DAN_ADDRESS },
  { ...order('#W4000002', DAN, 'delivered', [shirt('1000000001')], 'credit_card_4000001'), address: DAN_ADDRESS },
];

export const AGENT_FIXTURE: TauRetailData = {
  users: {
    [ALICE]: {
      name: { first_name: 'Alice', last_name: 'Ng' },
      address: ALICE_ADDRESS,
      email: 'alice.ng@example.com',
      payment_methods: {
        [ALICE_CARD]: { source: 'credit_card', brand: 'visa', last_four: '4242', id: ALICE_CARD },
        [ALICE_GIFT]: { source: 'gift_card', balance: 100, id: ALICE_GIFT },
      },
      orders: aliceOrders.map((o) => o.order_id),
    },
    [BOB]: {
      name: { first_name: 'Bob', last_name: 'Stone' },
      address: BOB_ADDRESS,
      email: 'bob.stone@example.com',
      payment_methods: {
        [BOB_CARD]: { source: 'credit_card', brand: 'mastercard', last_four: '5555', id: BOB_CARD },
        [BOB_GIFT]: { source: 'gift_card', balance: 40, id: BOB_GIFT },
      },
      orders: bobOrders.map((o) => o.order_id),
    },
    [CARLA]: {
      name: { first_name: 'Carla', last_name: 'Diaz' },
      address: CARLA_ADDRESS,
      email: 'carla.diaz@example.com',
      payment_methods: { paypal_3000001: { source: 'paypal', id: 'paypal_3000001' } },
      orders: carlaOrders.map((o) => o.order_id),
    },
    [DAN]: {
      name: { first_name: 'Dan', last_name: 'Kim' },
      address: DAN_ADDRESS,
      email: 'dan.kim@example.com',
      payment_methods: {
        credit_card_4000001: { source: 'credit_card', brand: 'visa', last_four: '1111', id: 'credit_card_4000001' },
        gift_card_4000002: { source: 'gift_card', balance: 10, id: 'gift_card_4000002' },
      },
      orders: danOrders.map((o) => o.order_id),
    },
  },
  orders: Object.fromEntries([...aliceOrders, ...bobOrders, ...carlaOrders, ...danOrders].map((o) => [o.order_id, o])),
  products,
};

export async function seedAgentFixture(db: Db): Promise<void> {
  await importTauRetailData(db, AGENT_FIXTURE);
}
