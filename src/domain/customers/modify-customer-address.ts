import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../domain-error.js';
import type { RetailAddress } from '../orders/retail-order.js';
import { getCustomerDetails } from './customer-repository.js';
import type { RetailUser } from './retail-user.js';

export interface ModifyCustomerAddressArgs extends RetailAddress {
  customerId: string;
}

/**
 * Replaces the customer's default address with the six given fields. Existing orders keep the
 * address they were placed with.
 */
export async function modifyCustomerAddress(db: Db, args: ModifyCustomerAddressArgs, actor: Actor): Promise<RetailUser> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Record<string, string>>(
      'SELECT address1, address2, city, state, country, zip FROM customers WHERE id = $1 FOR UPDATE',
      [args.customerId],
    );
    const before = rows[0];
    if (!before) throw new DomainError('not_found', 'customer_not_found', 'user not found');
    await tx.query(
      `UPDATE customers SET address1 = $2, address2 = $3, city = $4, state = $5, country = $6, zip = $7, updated_at = now()
        WHERE id = $1`,
      [args.customerId, args.address1, args.address2, args.city, args.state, args.country, args.zip],
    );
    await recordAudit(tx, actor, {
      action: 'customer.address_changed',
      entityType: 'customer',
      entityId: args.customerId,
      data: {
        from: before,
        to: { address1: args.address1, address2: args.address2, city: args.city, state: args.state, country: args.country, zip: args.zip },
      },
    });
    return (await getCustomerDetails(tx, args.customerId))!;
  });
}
