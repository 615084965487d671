import { acknowledgeFlag } from './acknowledge-flag.js';
import { adjustStock } from './adjust-stock.js';
import { cancelAndRefundOrder } from './cancel-and-refund-order.js';
import { cancelOrder } from './cancel-order.js';
import { exchangeOrderItems } from './exchange-order-items.js';
import { explainFlag } from './explain-flag.js';
import { findCustomer } from './find-customer.js';
import { getCustomerDetails } from './get-customer-details.js';
import { getInbox } from './get-inbox.js';
import { getInventory } from './get-inventory.js';
import { getOrderDetails } from './get-order-details.js';
import { getProductDetails } from './get-product-details.js';
import { handoffToHuman } from './handoff-to-human.js';
import { holdOrder } from './hold-order.js';
import { listFlags } from './list-flags.js';
import { listLowStock } from './list-low-stock.js';
import { listProductTypes } from './list-product-types.js';
import { modifyCustomerAddress } from './modify-customer-address.js';
import { modifyOrderAddress } from './modify-order-address.js';
import { modifyOrderItems } from './modify-order-items.js';
import { modifyOrderPayment } from './modify-order-payment.js';
import { refundOrder } from './refund-order.js';
import { releaseOrder } from './release-order.js';
import { resolveFlag } from './resolve-flag.js';
import { returnOrderItems } from './return-order-items.js';
import { searchKnowledgeBase } from './search-knowledge-base.js';
import { searchOrders } from './search-orders.js';
import { explainRouting } from './explain-routing.js';
import { proposeRoutingRule } from './propose-routing-rule.js';
import { rerouteOrder } from './reroute-order.js';
import type { AgentTool } from './tool.js';
import { getStockByLocation } from './get-stock-by-location.js';
import { getChannelSyncStatus } from './get-channel-sync-status.js';
import { repairInventory } from './repair-inventory.js';
import { runStockCheck } from './run-stock-check.js';
import { transferStock } from './transfer-stock.js';
import { buyLabel } from './buy-label.js';
import { getTracking } from './get-tracking.js';
import { quoteRates } from './quote-rates.js';
import { voidLabel } from './void-label.js';
import { listFailedJobs } from './list-failed-jobs.js';
import { retryFailedJob } from './retry-failed-job.js';
import { listReconciliationRuns } from './list-reconciliation-runs.js';
import { listOrderNotifications } from './list-order-notifications.js';
import { resendNotification } from './resend-notification.js';
import { setNotificationPreferences } from './set-notification-preferences.js';
import { pauseNotificationWorkflow } from './pause-notification-workflow.js';

/** Every tool staff may use, in the order the model sees them. New tools are appended here. */
export const OPS_TOOLS: readonly AgentTool[] = [
  findCustomer,
  getCustomerDetails,
  getOrderDetails,
  searchOrders,
  getProductDetails,
  listProductTypes,
  getInventory,
  adjustStock,
  cancelOrder,
  cancelAndRefundOrder,
  modifyOrderAddress,
  modifyOrderItems,
  modifyOrderPayment,
  modifyCustomerAddress,
  returnOrderItems,
  exchangeOrderItems,
  refundOrder,
  holdOrder,
  releaseOrder,
  searchKnowledgeBase,
  handoffToHuman,
  listFlags,
  explainFlag,
  acknowledgeFlag,
  resolveFlag,
  // inventory operations
  getStockByLocation,
  getChannelSyncStatus,
  transferStock,
  runStockCheck,
  repairInventory,
  explainRouting,
  rerouteOrder,
  proposeRoutingRule,
  quoteRates,
  buyLabel,
  voidLabel,
  getTracking,
  listFailedJobs,
  retryFailedJob,
  listReconciliationRuns,
  getInbox,
  listLowStock,
  // customer notifications
  listOrderNotifications,
  resendNotification,
  setNotificationPreferences,
  pauseNotificationWorkflow,
];

/** The tools a customer conversation gets (each wrapped by the customer scope guard). */
export const CUSTOMER_TOOL_NAMES: readonly string[] = [
  'find_customer',
  'get_customer_details',
  'get_order_details',
  'search_orders',
  'get_product_details',
  'list_product_types',
  'get_inventory',
  'cancel_order',
  'modify_order_address',
  'modify_order_items',
  'modify_order_payment',
  'modify_customer_address',
  'return_order_items',
  'exchange_order_items',
  'search_knowledge_base',
  'handoff_to_human',
  'list_order_notifications',
  'resend_notification',
  'set_notification_preferences',
];
