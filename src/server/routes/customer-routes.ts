import { getCustomerDetails } from '../../domain/customers/customer-repository.js';
import { DomainError } from '../../domain/domain-error.js';
import type { RoutePlugin } from '../route-plugin.js';

export const customerRoutes: RoutePlugin = (app, { db }) => {
  app.get<{ Params: { id: string } }>('/api/customers/:id', async (request) => {
    const customer = await getCustomerDetails(db, request.params.id);
    if (!customer) throw new DomainError('not_found', 'customer_not_found', `customer ${request.params.id} not found`);
    return { customer };
  });
};
