import type { RetailAddress } from '../orders/retail-order.js';

/** A payment method in the tau-retail JSON shape; `balance` only on gift cards. */
export type RetailPaymentMethod =
  | { source: 'credit_card'; brand: string; last_four: string; id: string }
  | { source: 'paypal'; id: string }
  | { source: 'gift_card'; balance: number; id: string };

/** The customer as the tau-retail reference writes it (v1 JSON, without `user_id`). */
export interface RetailUser {
  name: { first_name: string; last_name: string };
  address: RetailAddress;
  email: string;
  payment_methods: Record<string, RetailPaymentMethod>;
  /** Order ids in the customer's own order (orders.seq). */
  orders: string[];
}
