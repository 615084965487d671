import { z } from 'zod';
import { createAgentService } from '../../agent/agent-service.js';
import { listApprovalsPage } from '../../agent/list-approvals-page.js';
import { DomainError } from '../../domain/domain-error.js';
import { apiActor } from '../api-actor.js';
import type { ApiOperation } from '../api-operation.js';
import { approvalJson, approvalJsonSchema } from '../approval-json.js';
import { errorBodySchema } from '../error-body-schema.js';
import { pageJson, pageQuery, pageRequestOf, pageSchema } from '../page-query.js';
import { parseRequestBody } from '../parse-request-body.js';
import { parseRequestQuery } from '../parse-request-query.js';
import type { RoutePlugin } from '../route-plugin.js';

const APPROVAL_STATUSES = ['awaiting_confirmation', 'pending', 'executed', 'failed', 'rejected', 'expired'] as const;

const approvalListQuery = pageQuery
  .extend({ status: z.enum(APPROVAL_STATUSES, { error: `must be one of ${APPROVAL_STATUSES.join(', ')}` }).optional() });
const approvalIdParams = z.object({ id: z.string().describe('apr_…') });

export const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: 'must be "approve" or "reject"' }),
    reason: z
      .string({ error: 'a reason is required' })
      .trim()
      .min(1, 'a reason is required')
      .max(1000, 'must be at most 1000 characters')
      .describe('Kept on the approval and its audit row.'),
  });

const decisionResult = z.object({
  status: z.enum(APPROVAL_STATUSES),
  result: z.unknown().describe('What the action returned when it ran, or its error when it failed; null when rejected.'),
  approval: approvalJsonSchema,
});

export const approvalOperations: ApiOperation[] = [
  {
    method: 'GET',
    path: '/api/approvals',
    tag: 'approvals',
    summary: 'List approvals, newest first',
    query: approvalListQuery,
    responses: { 200: { description: 'A page of approvals', schema: pageSchema(approvalJsonSchema) }, 400: { description: 'A bad parameter', schema: errorBodySchema } },
  },
  {
    method: 'GET',
    path: '/api/approvals/:id',
    tag: 'approvals',
    summary: 'One approval with its preview',
    params: approvalIdParams,
    responses: { 200: { description: 'The approval', schema: z.object({ approval: approvalJsonSchema }) }, 404: { description: 'No such approval', schema: errorBodySchema } },
  },
  {
    method: 'POST',
    path: '/api/approvals/:id/decision',
    tag: 'approvals',
    summary: 'Approve or reject a waiting approval',
    description:
      'The same decision Slack buttons make: the action runs exactly once, in the transaction that marks the approval decided; ' +
      'the requester cannot decide their own request; an audit row names the decider (the signed-in person, or the API token) and the reason.',
    params: approvalIdParams,
    body: decisionBody,
    responses: {
      200: { description: 'Decided now', schema: decisionResult },
      400: { description: 'A bad body: the field is named in issues', schema: errorBodySchema },
      403: { description: 'The caller requested this approval (no self-approval), or the signed-in person\'s role may not decide approvals, or a session sent no CSRF token', schema: errorBodySchema },
      404: { description: 'No such approval', schema: errorBodySchema },
      409: { description: 'Already decided or expired (nothing ran), or still waiting for the customer to confirm', schema: errorBodySchema.extend({ approval: approvalJsonSchema.optional() }) },
    },
  },
];

export const approvalRoutes: RoutePlugin = (app, deps) => {
  const { db } = deps;
  const agent = deps.agent ?? createAgentService({ db, config: deps.config });

  app.get('/api/approvals', async (request, reply) => {
    const q = parseRequestQuery(approvalListQuery, request.query);
    const page = await listApprovalsPage(db, q.status ? { status: q.status } : {}, pageRequestOf(q));
    void reply.header('cache-control', 'no-store');
    return pageJson(page, approvalJson);
  });

  app.get<{ Params: { id: string } }>('/api/approvals/:id', async (request) => {
    const approval = await agent.approvals.getApproval(request.params.id);
    if (!approval) throw new DomainError('not_found', 'approval_not_found', `approval ${request.params.id} not found`);
    return { approval: approvalJson(approval) };
  });

  app.post<{ Params: { id: string } }>('/api/approvals/:id/decision', async (request, reply) => {
    const body = parseRequestBody(decisionBody, request.body);
    const outcome = await agent.decide({
      id: request.params.id,
      decision: body.decision,
      decider: apiActor(request),
      // The route guard lets only API_TOKEN, a loopback-only server without accounts, or a session
      // whose role has the approve permission reach here.
      isApprover: true,
      reason: body.reason,
    });
    if (outcome.alreadyDecided) {
      const a = outcome.approval;
      const expired = a.status === 'expired';
      return reply.code(409).send({
        error: expired
          ? `approval ${a.id} expired at ${a.expiresAt}; nothing ran`
          : `approval ${a.id} was already decided: ${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}; nothing ran this time`,
        code: expired ? 'approval_expired' : 'already_decided',
        approval: approvalJson(a),
      });
    }
    return { status: outcome.status, result: outcome.result, approval: approvalJson(outcome.approval) };
  });
};
