import type { Db } from '../db/db.js';
import { actorLabel, type Actor } from '../domain/actor.js';
import { recordAudit } from '../domain/audit/audit-log.js';
import type { Workflow } from './workflow.js';

export interface StoredWorkflow {
  workflow: Workflow;
  source: 'file' | 'api';
  paused: boolean;
  pausedReason: string;
  pausedBy: string | null;
  updatedAt: Date;
}

interface Row {
  id: string;
  definition: Workflow;
  source: 'file' | 'api';
  paused: boolean;
  paused_reason: string;
  paused_by: string | null;
  updated_at: Date | string;
}

const fromRow = (r: Row): StoredWorkflow => ({
  workflow: typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition,
  source: r.source,
  paused: r.paused,
  pausedReason: r.paused_reason,
  pausedBy: r.paused_by,
  updatedAt: new Date(r.updated_at),
});

export async function listWorkflows(db: Db): Promise<StoredWorkflow[]> {
  const { rows } = await db.query<Row>('SELECT * FROM notification_workflows ORDER BY id');
  return rows.map(fromRow);
}

export async function getWorkflow(db: Db, id: string): Promise<StoredWorkflow | null> {
  const { rows } = await db.query<Row>('SELECT * FROM notification_workflows WHERE id = $1', [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * Writes the file's workflows: new and changed ones replace what an earlier load wrote, ones the
 * file no longer has are removed; workflows written through the API stay, and so does a pause.
 */
export async function replaceFileWorkflows(db: Db, workflows: readonly Workflow[], actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const ids = workflows.map((w) => w.id);
    await tx.query(`DELETE FROM notification_workflows WHERE source = 'file' AND NOT (id = ANY($1::text[]))`, [ids]);
    for (const w of workflows) {
      await tx.query(
        `INSERT INTO notification_workflows (id, definition, source) VALUES ($1, $2, 'file')
         ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
          WHERE notification_workflows.source = 'file' AND notification_workflows.definition <> EXCLUDED.definition`,
        [w.id, JSON.stringify(w)],
      );
    }
    await recordAudit(tx, actor, { action: 'notification_workflows.loaded', entityType: 'notification_workflow', entityId: '*', data: { ids } });
  });
}

/** Creates or replaces one workflow as the API's (a later file load leaves it alone). */
export async function saveWorkflow(db: Db, workflow: Workflow, actor: Actor): Promise<StoredWorkflow> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      `INSERT INTO notification_workflows (id, definition, source) VALUES ($1, $2, 'api')
       ON CONFLICT (id) DO UPDATE SET definition = EXCLUDED.definition, source = 'api', updated_at = now()
       RETURNING *`,
      [workflow.id, JSON.stringify(workflow)],
    );
    await recordAudit(tx, actor, { action: 'notification_workflow.saved', entityType: 'notification_workflow', entityId: workflow.id, data: { workflow } });
    return fromRow(rows[0]!);
  });
}

/** Pauses (or resumes) a workflow; null for an unknown id. A paused workflow starts nothing and its pending runs wait. */
export async function setWorkflowPaused(db: Db, id: string, paused: boolean, reason: string, actor: Actor): Promise<StoredWorkflow | null> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(
      `UPDATE notification_workflows SET paused = $2, paused_reason = $3, paused_by = $4, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, paused, paused ? reason : '', paused ? actorLabel(actor) : null],
    );
    if (!rows[0]) return null;
    await recordAudit(tx, actor, { action: paused ? 'notification_workflow.paused' : 'notification_workflow.resumed', entityType: 'notification_workflow', entityId: id, data: { reason } });
    return fromRow(rows[0]);
  });
}
