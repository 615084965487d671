import { z } from 'zod';
import { createAgentService } from '../../agent/agent-service.js';
import { apiActor } from '../api-actor.js';
import type { ApiOperation } from '../api-operation.js';
import { approvalJson, approvalJsonSchema } from '../approval-json.js';
import { errorBodySchema } from '../error-body-schema.js';
import { parseRequestBody } from '../parse-request-body.js';
import type { RoutePlugin } from '../route-plugin.js';
import { normaliseOrderId } from './order-routes.js';

const reason = (what: string) =>
  z.string({ error: 'a reason is required' }).trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters').describe(what);

/**
 * One button of the console (or any API client) that changes something. Each runs the staff tool
 * of the same name through the approval gate, so an action that needs approval in Slack needs it
 * here: release, cancel and refund, reroute and retry answer 202 with the pending approval.
 */
interface ActionRoute {
  path: string;
  tool: string;
  summary: string;
  params: z.ZodObject;
  body: z.ZodObject;
  args(params: Record<string, string>, body: Record<string, unknown>): Record<string, unknown>;
}

const orderParams = z.object({ id: z.string().describe('#W1234567, %23W1234567 or W1234567') });
const flagParams = z.object({ id: z.string().describe('The flag id') });
const failedJobParams = z.object({ id: z.string().describe('The dead-letter entry id') });

export const ACTION_ROUTES: readonly ActionRoute[] = [
  {
    path: '/api/orders/:id/hold',
    tool: 'hold_order',
    summary: 'Hold an order so nothing ships',
    params: orderParams,
    body: z.object({ reason: reason('Why the order is held.') }),
    args: (p, b) => ({ order_id: normaliseOrderId(p.id!), reason: b.reason }),
  },
  {
    path: '/api/orders/:id/release',
    tool: 'release_order',
    summary: 'Release a held order (needs an approval)',
    params: orderParams,
    body: z.object({ note: z.string().trim().max(200, 'must be at most 200 characters').optional().describe('Why the hold is lifted.') }),
    args: (p, b) => ({ order_id: normaliseOrderId(p.id!), ...(b.note ? { note: b.note } : {}) }),
  },
  {
    path: '/api/orders/:id/cancel',
    tool: 'cancel_and_refund_order',
    summary: 'Cancel an order and refund what was paid (needs an approval)',
    params: orderParams,
    body: z.object({ reason: reason('Why the order is cancelled.') }),
    args: (p, b) => ({ order_id: normaliseOrderId(p.id!), reason: b.reason }),
  },
  {
    path: '/api/orders/:id/reroute',
    tool: 'reroute_order',
    summary: 'Route an order again, optionally only from some locations (needs an approval)',
    params: orderParams,
    body: z.object({
      reason: reason('Why the order is rerouted.'),
      locations: z.array(z.string().trim().min(1, 'must not be empty')).max(20, 'at most 20 locations').optional().describe('Only ship from these location ids.'),
    }),
    args: (p, b) => ({ order_id: normaliseOrderId(p.id!), reason: b.reason, ...(b.locations ? { locations: b.locations } : {}) }),
  },
  {
    path: '/api/jobs/failed/:id/retry',
    tool: 'retry_failed_job',
    summary: 'Run a dead-lettered job again (needs an approval)',
    params: failedJobParams,
    body: z.object({}),
    args: (p) => ({ failed_job_id: Number(p.id) }),
  },
  {
    path: '/api/flags/:id/acknowledge',
    tool: 'acknowledge_flag',
    summary: 'Acknowledge an open flag: someone is on it',
    params: flagParams,
    body: z.object({ note: z.string().trim().max(500, 'must be at most 500 characters').optional() }),
    args: (p, b) => ({ flag_id: p.id, ...(b.note ? { note: b.note } : {}) }),
  },
  {
    path: '/api/flags/:id/resolve',
    tool: 'resolve_flag',
    summary: 'Resolve a flag, saying how',
    params: flagParams,
    body: z.object({ resolution: reason('How the flag was resolved.') }),
    args: (p, b) => ({ flag_id: p.id, resolution: b.resolution }),
  },
];

const actionResult = z.object({ status: z.literal('done'), result: z.unknown().describe('What the action returned.') });
const actionPending = z.object({
  status: z.literal('pending_approval'),
  approval: approvalJsonSchema,
  created: z.boolean().describe('False when the same request was already waiting: no second approval was made.'),
});

export const actionOperations: ApiOperation[] = ACTION_ROUTES.map((a) => ({
  method: 'POST',
  path: a.path,
  tag: 'actions',
  summary: a.summary,
  description: `Runs ${a.tool} for the caller through the approval gate the agent uses; an approver other than the caller decides what needs approval.`,
  params: a.params,
  body: a.body,
  responses: {
    200: { description: 'Done now', schema: actionResult },
    202: { description: 'Waiting for an approver; nothing has changed yet', schema: actionPending },
    400: { description: 'A bad body: the field is named', schema: errorBodySchema },
    403: { description: "The signed-in person's role may not act, or a session sent no CSRF token", schema: errorBodySchema },
    404: { description: 'No such order, flag or failed job', schema: errorBodySchema },
    409: { description: 'The record is not in a state this action applies to', schema: errorBodySchema },
  },
}));

export const actionRoutes: RoutePlugin = (app, deps) => {
  const agent = deps.agent ?? createAgentService({ db: deps.db, config: deps.config });
  for (const action of ACTION_ROUTES) {
    app.post<{ Params: Record<string, string> }>(action.path, async (request, reply) => {
      const body = parseRequestBody(action.body, request.body) as Record<string, unknown>;
      const requester = apiActor(request);
      const outcome = await agent.act({
        tool: action.tool,
        args: action.args(request.params, body),
        requester,
        origin: { channel: 'console', threadKey: requester.id },
      });
      if (outcome.status === 'done') return { status: 'done', result: outcome.result };
      void reply.code(202);
      return { status: 'pending_approval', approval: approvalJson(outcome.approval), created: outcome.created };
    });
  }
};
