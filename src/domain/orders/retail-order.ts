/**
 * The order as the tau-retail reference writes it (v1 JSON). Money is in currency units; the
 * optional fields are absent until an operation sets them.
 */
export interface RetailAddress {
  address1: string;
  address2: string;
  city: string;
  country: string;
  state: string;
  zip: string;
}

export interface RetailOrderItem {
  name: string;
  product_id: string;
  item_id: string;
  price: number;
  options: Record<string, string>;
}

export interface RetailFulfillment {
  tracking_id: string[];
  item_ids: string[];
}

export interface RetailPaymentEntry {
  transaction_type: 'payment' | 'refund';
  amount: number;
  payment_method_id: string;
}

export interface RetailOrder {
  order_id: string;
  user_id: string;
  address: RetailAddress;
  items: RetailOrderItem[];
  fulfillments: RetailFulfillment[];
  status: string;
  payment_history: RetailPaymentEntry[];
  cancel_reason?: string;
  exchange_items?: string[];
  exchange_new_items?: string[];
  exchange_payment_method_id?: string;
  exchange_price_difference?: number;
  return_items?: string[];
  return_payment_method_id?: string;
}
