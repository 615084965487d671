import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { getProductDetails, getVariant, listProductTypes, toRetailVariant } from '../../src/domain/catalog/catalog-repository.js';
import { findCustomerIdByEmail, findCustomerIdByNameZip, getCustomerDetails } from '../../src/domain/customers/customer-repository.js';
import { modifyCustomerAddress } from '../../src/domain/customers/modify-customer-address.js';
import { isDomainError } from '../../src/domain/domain-error.js';
import { cancelPendingOrder } from '../../src/domain/orders/cancel-pending-order.js';
import { exchangeDeliveredOrderItems } from '../../src/domain/orders/exchange-delivered-order-items.js';
import { modifyPendingOrderAddress } from '../../src/domain/orders/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../../src/domain/orders/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../../src/domain/orders/modify-pending-order-payment.js';
import { loadOrder, toRetailOrder } from '../../src/domain/orders/order-repository.js';
import { returnDeliveredOrderItems } from '../../src/domain/orders/return-delivered-order-items.js';
import { tauCalculate } from './tau-calculate.js';

export type TauVersion = 'v1' | 'v2';
export type DispatchResult = { ok: true; output: string } | { ok: false; error: string };

/** A refusal the reference would also give; the message is what follows its "Error: ". */
class ToolError extends Error {}

type Args = Record<string, unknown>;

const str = (args: Args, name: string): string => {
  if (!(name in args)) throw new ToolError(`missing 1 required positional argument: '${name}'`);
  return String(args[name]);
};
const list = (args: Args, name: string): string[] => {
  if (!(name in args)) throw new ToolError(`missing 1 required positional argument: '${name}'`);
  const v = args[name];
  if (!Array.isArray(v)) throw new ToolError(`${name} must be a list`);
  return v.map(String);
};
const address = (args: Args) => ({
  address1: str(args, 'address1'),
  address2: str(args, 'address2'),
  city: str(args, 'city'),
  state: str(args, 'state'),
  country: str(args, 'country'),
  zip: str(args, 'zip'),
});
const json = (v: unknown) => JSON.stringify(v);
const orDie = <T>(v: T | null, message: string): T => {
  if (v === null) throw new ToolError(message);
  return v;
};

type Tool = (db: Db, args: Args, actor: Actor) => Promise<string>;

const TOOLS: Record<string, Tool> = {
  find_user_id_by_email: async (db, a) => orDie(await findCustomerIdByEmail(db, str(a, 'email')), 'user not found'),
  find_user_id_by_name_zip: async (db, a) =>
    orDie(await findCustomerIdByNameZip(db, str(a, 'first_name'), str(a, 'last_name'), str(a, 'zip')), 'user not found'),
  get_user_details: async (db, a) => json(orDie(await getCustomerDetails(db, str(a, 'user_id')), 'user not found')),
  get_order_details: async (db, a) => json(toRetailOrder(orDie(await loadOrder(db, str(a, 'order_id')), 'order not found'))),
  get_product_details: async (db, a) => json(orDie(await getProductDetails(db, str(a, 'product_id')), 'product not found')),
  list_all_product_types: async (db) => json(await listProductTypes(db)),
  cancel_pending_order: async (db, a, actor) =>
    json(toRetailOrder(await cancelPendingOrder(db, { orderId: str(a, 'order_id'), reason: str(a, 'reason') }, actor))),
  modify_pending_order_address: async (db, a, actor) =>
    json(toRetailOrder(await modifyPendingOrderAddress(db, { orderId: str(a, 'order_id'), ...address(a) }, actor))),
  modify_pending_order_payment: async (db, a, actor) =>
    json(toRetailOrder(await modifyPendingOrderPayment(db, { orderId: str(a, 'order_id'), paymentMethodId: str(a, 'payment_method_id') }, actor))),
  modify_pending_order_items: async (db, a, actor) =>
    json(
      toRetailOrder(
        await modifyPendingOrderItems(
          db,
          { orderId: str(a, 'order_id'), itemIds: list(a, 'item_ids'), newItemIds: list(a, 'new_item_ids'), paymentMethodId: str(a, 'payment_method_id') },
          actor,
        ),
      ),
    ),
  return_delivered_order_items: async (db, a, actor) =>
    json(
      toRetailOrder(
        await returnDeliveredOrderItems(db, { orderId: str(a, 'order_id'), itemIds: list(a, 'item_ids'), paymentMethodId: str(a, 'payment_method_id') }, actor),
      ),
    ),
  exchange_delivered_order_items: async (db, a, actor) =>
    json(
      toRetailOrder(
        await exchangeDeliveredOrderItems(
          db,
          { orderId: str(a, 'order_id'), itemIds: list(a, 'item_ids'), newItemIds: list(a, 'new_item_ids'), paymentMethodId: str(a, 'payment_method_id') },
          actor,
        ),
      ),
    ),
  modify_user_address: async (db, a, actor) => json(await modifyCustomerAddress(db, { customerId: str(a, 'user_id'), ...address(a) }, actor)),
  transfer_to_human_agents: async () => 'Transfer successful',
};

const V1_ONLY: Record<string, Tool> = {
  think: async () => '',
};
const V2_ONLY: Record<string, Tool> = {
  get_item_details: async (db, a) => {
    const variant = orDie(await getVariant(db, str(a, 'item_id')), 'item not found');
    return json(toRetailVariant(variant));
  },
};

/**
 * Runs one benchmark tool call through the orderops services. Reads and `calculate` answer
 * directly; every write goes through the domain service that owns it, which is atomic on its
 * own (a savepoint inside the caller's transaction), so a refused call leaves nothing behind.
 * Refusals come back as results; anything else (a bug, a lost database) is thrown.
 */
export async function dispatchTauTool(db: Db, name: string, args: Args, options: { version: TauVersion; actor: Actor }): Promise<DispatchResult> {
  if (name === 'calculate') {
    return typeof args.expression === 'string'
      ? tauCalculate(args.expression, options.version)
      : { ok: false, error: "missing 1 required positional argument: 'expression'" };
  }
  const tool = TOOLS[name] ?? (options.version === 'v1' ? V1_ONLY[name] : V2_ONLY[name]);
  if (!tool) return { ok: false, error: options.version === 'v1' ? `Unknown action ${name}` : `Tool '${name}' not found.` };
  try {
    return { ok: true, output: await tool(db, args, options.actor) };
  } catch (err) {
    if (err instanceof ToolError || isDomainError(err)) return { ok: false, error: err.message };
    throw err;
  }
}
