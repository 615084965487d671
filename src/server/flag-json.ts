import { z } from 'zod';
import { FLAG_STATUSES, type AnomalyFlag } from '../anomaly/flags/anomaly-flag.js';

/** An anomaly flag as the API answers it. */
export const flagJsonSchema = z.object({
  id: z.number().int(),
  subject_type: z.enum(['order', 'stock', 'fulfilment']),
  subject_id: z.string(),
  rule: z.string(),
  category: z.enum(['risk', 'stock', 'operations']),
  severity: z.enum(['info', 'warning', 'critical']),
  score: z.number(),
  title: z.string(),
  reasons: z.array(z.string()),
  status: z.enum(FLAG_STATUSES),
  occurrences: z.number().int(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  acknowledged_by: z.string().nullable(),
  resolved_by: z.string().nullable(),
  resolution: z.string().nullable(),
});

export function flagJson(f: AnomalyFlag): z.infer<typeof flagJsonSchema> {
  return {
    id: f.id,
    subject_type: f.subjectType,
    subject_id: f.subjectId,
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    score: f.score,
    title: f.title,
    reasons: f.reasons,
    status: f.status,
    occurrences: f.occurrences,
    first_seen_at: f.firstSeenAt,
    last_seen_at: f.lastSeenAt,
    acknowledged_by: f.acknowledgedBy,
    resolved_by: f.resolvedBy,
    resolution: f.resolution,
  };
}
