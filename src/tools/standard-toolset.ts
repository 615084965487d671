import { customerToolset } from './customer-toolset.js';
import { opsToolset } from './ops-toolset.js';
import type { Persona } from './tool.js';
import type { Toolset } from './toolset.js';

/**
 * The toolset a conversation gets: staff tools for ops, or the customer tools bound to one
 * verified customer. A customer conversation without a customer id is a bug upstream; it gets an
 * error, never the staff tools.
 */
export function standardToolset(persona: Persona, customerId: string | null): Toolset {
  if (persona === 'ops') return opsToolset();
  if (!customerId) throw new Error('a customer conversation needs a verified customer id');
  return customerToolset(customerId);
}
