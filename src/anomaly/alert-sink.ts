/** What an alert offers a person to do; each becomes a button that opens an approval. */
export interface SuggestedAction {
  kind: 'release_order' | 'cancel_and_refund' | 'acknowledge_flag' | 'resolve_flag';
  label: string;
  /** The agent tool that carries the action out, and its arguments. */
  tool: string;
  args: Record<string, unknown>;
}

export interface AnomalyAlert {
  /** What the alert is about, e.g. "order #W123" or "stock SKU-1 @ wh-east". */
  subject: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  /** Sentences a person can read, strongest first. */
  reasons: string[];
  suggestedActions: SuggestedAction[];
  /** The flag the alert belongs to; also its dedupe key, so a retried job does not post twice. */
  flagId: number;
  dedupeKey: string;
}

/**
 * Where anomaly alerts go. Called after the flag (and any hold) is committed; a sink that fails
 * is logged by the caller and never undoes the flag. The Slack alerts channel implements it;
 * `createLoggingAlertSink` stands in when Slack is not configured.
 */
export interface AlertSink {
  raise(alert: AnomalyAlert): Promise<void>;
}
