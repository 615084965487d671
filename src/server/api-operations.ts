import type { ApiOperation } from './api-operation.js';
import { orderRecordOperations } from './routes/order-record-routes.js';
import { actionOperations } from './routes/action-routes.js';
import { approvalOperations } from './routes/approval-routes.js';
import { flagOperations } from './routes/flag-routes.js';
import { inboxOperations } from './routes/inbox-routes.js';
import { inventoryOperations } from './routes/inventory-routes.js';
import { jobOperations } from './routes/job-routes.js';
import { metricsOperations } from './routes/metrics-routes.js';
import { oidcOperations } from './routes/oidc-routes.js';
import { orderOperations } from './routes/order-routes.js';
import { productOperations } from './routes/product-routes.js';
import { sessionOperations } from './routes/session-routes.js';
import { stockOutlookOperations } from './routes/stock-outlook-routes.js';
import { trendOperations } from './routes/trend-routes.js';
import { userOperations } from './routes/user-routes.js';

/** Every endpoint the OpenAPI document describes, in the order the reference page lists them. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...inboxOperations,
  ...trendOperations,
  ...orderOperations,
  ...orderRecordOperations,
  ...approvalOperations,
  ...actionOperations,
  ...flagOperations,
  ...productOperations,
  ...inventoryOperations,
  ...stockOutlookOperations,
  ...jobOperations,
  ...metricsOperations,
  ...sessionOperations,
  ...oidcOperations,
  ...userOperations,
];
