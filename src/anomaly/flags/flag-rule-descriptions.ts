/** What each flag rule means, for explanations and the App Home. */
export const FLAG_RULE_DESCRIPTIONS: Record<string, string> = {
  order_risk: 'The order risk score (rules on the order and its device, IP, email, card and address history) passed the review threshold.',
  stockout_projected: 'Days of stock cover at the forecast demand are fewer than the replenishment lead time.',
  stockout_tomorrow: "Tomorrow's demand forecast (weekday and promotion factors) is likely to exceed the stock left after today's projected sales, or the item's recent stock-out record makes a stock-out likely.",
  demand_spike: "Today's sales of the item are far above its weekday-adjusted forecast.",
  negative_stock: 'On-hand stock is below zero.',
  channel_stock_mismatch: 'A sales channel kept failing our stock pushes, or kept holding another quantity than ours, for longer than STOCK_SYNC_MISMATCH_MINUTES.',
  reservation_drift: 'Active reservations do not agree with the stock level or with the state of their orders.',
  order_sla: 'The order has stayed in its status longer than the SLA for that status and channel.',
  carrier_exception: 'The carrier reported an exception on a shipment.',
  past_promised_date: 'A shipment is past its promised delivery date and not delivered.',
  label_not_scanned: 'A label was bought but the carrier has not scanned the parcel within LABEL_SCAN_HOURS.',
  held_on_intake: 'A storefront order entered the ledger on hold: a SKU or variant we do not know, no address for a line that ships, or a price or total we disagree with.',
  label_over_auto_limit: "Automatic fulfilment bought no label: the order's labels cost more than LABEL_APPROVAL_AMOUNT, so a person buys them.",
};
