/** Who causes a write: recorded on every audit row. */
export interface Actor {
  kind: 'person' | 'agent' | 'job' | 'webhook' | 'system' | 'api';
  /** A Slack user id, an email, a job name, a webhook source. */
  id: string;
  /** For the agent: the person or customer it acts for. */
  onBehalfOf?: string;
}

export const systemActor = (id = 'orderops'): Actor => ({ kind: 'system', id });

/** One string for columns that keep a short actor name (movements, order events). */
export function actorLabel(actor: Actor): string {
  return actor.onBehalfOf ? `${actor.kind}:${actor.id} for ${actor.onBehalfOf}` : `${actor.kind}:${actor.id}`;
}
