/** Hours an order may stay in a status, with per-channel overrides. */
export interface SlaPolicy {
  byStatus: Record<string, number>;
  byChannel: Record<string, Record<string, number>>;
}

/**
 * Parses "pending=24,processed=48,shopify:processed=24" (the ANOMALY_SLA_HOURS setting).
 * Throws naming the bad pair.
 */
export function parseSlaPolicy(text: string): SlaPolicy {
  const policy: SlaPolicy = { byStatus: {}, byChannel: {} };
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:([a-z0-9_.-]+):)?([a-z_ ()]+)=(\d+(?:\.\d+)?)$/.exec(raw);
    if (!m) throw new Error(`ANOMALY_SLA_HOURS: "${raw}" is not status=hours or channel:status=hours`);
    const [, channel, status, hours] = m;
    if (channel) (policy.byChannel[channel] ??= {})[status!.trim()] = Number(hours);
    else policy.byStatus[status!.trim()] = Number(hours);
  }
  return policy;
}

/** The SLA in hours for a status on a channel, or undefined when the status has none. */
export function slaHours(policy: SlaPolicy, status: string, channel: string): number | undefined {
  return policy.byChannel[channel]?.[status] ?? policy.byStatus[status];
}
