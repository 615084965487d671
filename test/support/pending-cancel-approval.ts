import { createApprovalService } from '../../src/agent/approval-service.js';
import type { Config } from '../../src/config/config.js';
import type { Db } from '../../src/db/db.js';
import type { Actor } from '../../src/domain/actor.js';
import { opsToolset } from '../../src/tools/ops-toolset.js';

/**
 * A pending approval to cancel `orderId`, opened the way the agent opens one for a request that
 * came by email from the verified customer; returns its id.
 */
export async function openCancelApproval(db: Db, config: Config, orderId: string, requester: Actor, threadKey = `<req-${orderId}@mail.test>`): Promise<string> {
  const approvals = createApprovalService({ db, config });
  const { approval } = await approvals.request({
    tool: opsToolset().get('cancel_order')!,
    args: { order_id: orderId, reason: 'no longer needed' },
    ctx: { db, config, actor: { kind: 'agent', id: 'orderops-agent', onBehalfOf: requester.id }, persona: 'ops' },
    reason: 'cancelling needs approval',
    requester,
    verification: { verified: true, summary: 'sender matches the order email' },
    origin: { channel: 'email', threadKey },
  });
  return approval.id;
}
