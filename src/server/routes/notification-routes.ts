import { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import type { Db } from '../../db/db.js';
import { DomainError } from '../../domain/domain-error.js';
import { loadOrder } from '../../domain/orders/order-repository.js';
import { loadPreferences, updatePreferences } from '../../notifications/consent/notification-preferences.js';
import { preferencesChangeSchema, preferencesView, toPreferencesUpdate } from '../../notifications/consent/preferences-view.js';
import { listOrderNotifications } from '../../notifications/list-order-notifications.js';
import { releaseHeldMessages } from '../../notifications/release-held-messages.js';
import { resendNotification } from '../../notifications/resend-notification.js';
import { workflowSchema, type WorkflowStep } from '../../notifications/workflow.js';
import { getWorkflow, listWorkflows, saveWorkflow, setWorkflowPaused, type StoredWorkflow } from '../../notifications/workflow-repository.js';
import { parseRequestBody, RequestBodyInvalid } from '../parse-request-body.js';
import type { RoutePlugin } from '../route-plugin.js';
import { normaliseOrderId } from './order-routes.js';

export interface NotificationRoutesDeps {
  /** Whether the template folder has a template of this name; a workflow naming another is refused. */
  hasTemplate: (name: string) => boolean;
}

const actor: Actor = { kind: 'api', id: 'notifications' };

const pauseBody = z.object({ reason: z.string().trim().min(1, 'say why the workflow is paused').max(500) }).strict();
const resumeBody = z.object({ reason: z.string().trim().max(500).default('') }).strict();

const workflowView = (w: StoredWorkflow) => ({
  id: w.workflow.id,
  workflow: w.workflow,
  source: w.source,
  paused: w.paused,
  paused_reason: w.pausedReason,
  paused_by: w.pausedBy,
  updated_at: w.updatedAt.toISOString(),
});

/** Every send step's template that the template folder lacks, with the step's path. */
function unknownTemplates(steps: readonly WorkflowStep[], hasTemplate: (name: string) => boolean, path: string): { path: string; message: string }[] {
  return steps.flatMap((step, i) => {
    const at = `${path}.${i}`;
    if ('send' in step) return hasTemplate(step.send.template) ? [] : [{ path: `${at}.send.template`, message: `no template named ${step.send.template}` }];
    if ('if' in step) {
      return [...unknownTemplates(step.then, hasTemplate, `${at}.then`), ...unknownTemplates(step.else ?? [], hasTemplate, `${at}.else`)];
    }
    return [];
  });
}

function messageIdParam(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new RequestBodyInvalid([{ path: 'id', message: 'must be a message id (a positive whole number)' }]);
  return Number(raw);
}

async function requireCustomer(db: Db, id: string): Promise<void> {
  const { rows } = await db.query('SELECT 1 FROM customers WHERE id = $1', [id]);
  if (!rows.length) throw new DomainError('not_found', 'customer_not_found', `customer ${id} not found`);
}

/**
 * The notifications API: workflows (read, replace, pause, resume), the messages of an order and
 * their resend, and a customer's notification preferences.
 */
export function notificationRoutes(deps: NotificationRoutesDeps): RoutePlugin {
  return (app, { db }) => {
    app.get('/api/notifications/workflows', async () => ({ workflows: (await listWorkflows(db)).map(workflowView) }));

    app.get<{ Params: { id: string } }>('/api/notifications/workflows/:id', async (request) => {
      const stored = await getWorkflow(db, request.params.id);
      if (!stored) throw new DomainError('not_found', 'workflow_not_found', `notification workflow ${request.params.id} not found`);
      return { workflow: workflowView(stored) };
    });

    app.put<{ Params: { id: string } }>('/api/notifications/workflows/:id', async (request, reply) => {
      const workflow = parseRequestBody(workflowSchema, request.body);
      if (workflow.id !== request.params.id) {
        throw new RequestBodyInvalid([{ path: 'id', message: `must be ${request.params.id}, the id in the path` }]);
      }
      const missing = unknownTemplates(workflow.steps, deps.hasTemplate, 'steps');
      if (missing.length) throw new RequestBodyInvalid(missing);
      const existed = (await getWorkflow(db, workflow.id)) !== null;
      const saved = await saveWorkflow(db, workflow, actor);
      return reply.code(existed ? 200 : 201).send({ workflow: workflowView(saved) });
    });

    app.post<{ Params: { id: string } }>('/api/notifications/workflows/:id/pause', async (request) => {
      const { reason } = parseRequestBody(pauseBody, request.body);
      const stored = await setWorkflowPaused(db, request.params.id, true, reason, actor);
      if (!stored) throw new DomainError('not_found', 'workflow_not_found', `notification workflow ${request.params.id} not found`);
      return { workflow: workflowView(stored) };
    });

    app.post<{ Params: { id: string } }>('/api/notifications/workflows/:id/resume', async (request) => {
      const { reason } = parseRequestBody(resumeBody, request.body);
      const resumed = await db.transaction(async (tx) => {
        const stored = await setWorkflowPaused(tx, request.params.id, false, reason, actor);
        return stored && { stored, released: await releaseHeldMessages(tx, request.params.id) };
      });
      if (!resumed) throw new DomainError('not_found', 'workflow_not_found', `notification workflow ${request.params.id} not found`);
      return { workflow: workflowView(resumed.stored), released_messages: resumed.released };
    });

    app.get<{ Params: { id: string } }>('/api/orders/:id/notifications', async (request) => {
      const id = normaliseOrderId(request.params.id);
      if (!(await loadOrder(db, id))) throw new DomainError('not_found', 'order_not_found', `order ${id} not found`);
      return { order_id: id, notifications: await listOrderNotifications(db, id) };
    });

    app.post<{ Params: { id: string } }>('/api/notifications/messages/:id/resend', async (request, reply) => {
      const id = messageIdParam(request.params.id);
      const resent = await resendNotification(db, id, actor);
      if (!resent) throw new DomainError('not_found', 'notification_not_found', `notification message ${id} not found`);
      return reply.code(201).send({ resend: { id: resent.id, resend_of: id } });
    });

    app.get<{ Params: { id: string } }>('/api/customers/:id/notification-preferences', async (request) => {
      await requireCustomer(db, request.params.id);
      return { preferences: preferencesView(await loadPreferences(db, request.params.id)) };
    });

    app.patch<{ Params: { id: string } }>('/api/customers/:id/notification-preferences', async (request) => {
      const change = parseRequestBody(preferencesChangeSchema, request.body);
      await requireCustomer(db, request.params.id);
      return { preferences: preferencesView(await updatePreferences(db, request.params.id, toPreferencesUpdate(change), actor)) };
    });
  };
}
