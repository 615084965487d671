import type { Db } from '../../db/db.js';
import type { Actor } from '../actor.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/** Appends one audit row; call it inside the transaction that makes the change it describes. */
export async function recordAudit(tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor_kind, actor_id, on_behalf_of, action, entity_type, entity_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      actor.kind,
      actor.id,
      actor.onBehalfOf ?? null,
      entry.action,
      entry.entityType,
      entry.entityId,
      JSON.stringify(entry.data ?? {}),
    ],
  );
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_kind: Actor['kind'];
  actor_id: string;
  on_behalf_of: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
}

/** Audit rows for one record, oldest first. */
export async function auditTrail(db: Db, entityType: string, entityId: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    'SELECT * FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY id',
    [entityType, entityId],
  );
  return rows;
}
