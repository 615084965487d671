import type { ApiOperation } from './api-operation.js';
import { approvalOperations } from './routes/approval-routes.js';
import { flagOperations } from './routes/flag-routes.js';
import { inboxOperations } from './routes/inbox-routes.js';
import { inventoryOperations } from './routes/inventory-routes.js';
import { jobOperations } from './routes/job-routes.js';
import { orderOperations } from './routes/order-routes.js';
import { productOperations } from './routes/product-routes.js';
import { sessionOperations } from './routes/session-routes.js';
import { userOperations } from './routes/user-routes.js';

/** Every endpoint the OpenAPI document describes, in the order the reference page lists them. */
export const API_OPERATIONS: readonly ApiOperation[] = [
  ...inboxOperations,
  ...orderOperations,
  ...approvalOperations,
  ...flagOperations,
  ...productOperations,
  ...inventoryOperations,
  ...jobOperations,
  ...sessionOperations,
  ...userOperations,
];
