/** Queue names, one per kind of background work. */
export const QUEUES = {
  agentTurn: 'agent-turn',
  slackTurn: 'slack-turn',
  emailInbound: 'email-inbound',
  emailOutbound: 'email-outbound',
  anomalyScore: 'anomaly-score',
  monitorSweep: 'monitor-sweep',
  approvalExpiry: 'approval-expiry',
  fulfilOrder: 'fulfil-order',
  trackingPoll: 'tracking-poll',
  stockPush: 'stock-push',
  shopifyWebhook: 'shopify-webhook',
  shopifyReconcile: 'shopify-reconcile',
  woocommerceDelivery: 'woocommerce-delivery',
  woocommerceReconcile: 'woocommerce-reconcile',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
