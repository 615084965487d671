import { z } from 'zod';
import type { NotificationPreferences, PreferencesPatch } from './notification-preferences.js';

/** A customer's preferences as the API and the agent show them. */
export function preferencesView(p: NotificationPreferences) {
  return {
    customer_id: p.customerId,
    channel: p.channel,
    email_transactional: p.emailTransactional,
    sms_transactional: p.smsTransactional,
    email_marketing: p.emailMarketing,
    sms_marketing: p.smsMarketing,
    sms_stopped_at: p.smsStoppedAt?.toISOString() ?? null,
    updated_by: p.updatedBy,
  };
}

/**
 * A change to a customer's preferences as people ask for it. A STOP can be recorded for them
 * (`sms_stopped: true`, say when they asked on the phone); only their own START lifts one.
 */
export const preferencesChangeFields = {
  channel: z.enum(['email', 'sms', 'both']).optional().describe('Which channel their order updates go to: email, sms or both.'),
  email_transactional: z.boolean().optional().describe('Order updates by email (on unless turned off).'),
  sms_transactional: z.boolean().optional().describe('Order updates by SMS.'),
  email_marketing: z.boolean().optional().describe('Marketing by email; only with their yes.'),
  sms_marketing: z.boolean().optional().describe('Marketing by SMS; only with their yes.'),
  sms_stopped: z.literal(true).optional().describe('true records an SMS STOP: no texts of any kind until they text START.'),
};

const changeObject = z.object(preferencesChangeFields);
export type PreferencesChange = z.output<typeof changeObject>;

export const preferencesChangeSchema = changeObject
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'name at least one preference to change' });

/** The change in the form updatePreferences takes. */
export function toPreferencesUpdate(change: PreferencesChange): { patch: PreferencesPatch; smsStopped?: boolean } {
  const patch: PreferencesPatch = {};
  if (change.channel !== undefined) patch.channel = change.channel;
  if (change.email_transactional !== undefined) patch.emailTransactional = change.email_transactional;
  if (change.sms_transactional !== undefined) patch.smsTransactional = change.sms_transactional;
  if (change.email_marketing !== undefined) patch.emailMarketing = change.email_marketing;
  if (change.sms_marketing !== undefined) patch.smsMarketing = change.sms_marketing;
  return { patch, ...(change.sms_stopped ? { smsStopped: true } : {}) };
}
