import { DomainError } from '../domain-error.js';

/**
 * The refusals shared by the retail operations. Messages are the tau-retail reference texts
 * (v1, without its "Error: " prefix) so a replay of the benchmark can compare them verbatim.
 */
export const orderNotFound = () => new DomainError('not_found', 'order_not_found', 'order not found');
export const paymentMethodNotFound = () => new DomainError('not_found', 'payment_method_not_found', 'payment method not found');
export const itemsCountMismatch = () =>
  new DomainError('invalid', 'item_count_mismatch', 'the number of items to be exchanged should match');
export const itemNotFound = (itemId: string) => new DomainError('invalid', 'item_not_in_order', `${itemId} not found`);
export const newItemUnavailable = (itemId: string) =>
  new DomainError('invalid', 'variant_unavailable', `new item ${itemId} not found or available`);
