import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { loadPreferences, updatePreferences } from '../notifications/consent/notification-preferences.js';
import { preferencesChangeFields, preferencesView, toPreferencesUpdate } from '../notifications/consent/preferences-view.js';
import { defineTool } from './tool.js';

type PreferencesView = ReturnType<typeof preferencesView>;

export const setNotificationPreferences = defineTool({
  name: 'set_notification_preferences',
  description:
    "Changes how a customer hears from us: the channel of their order updates (email, sms or both), order updates and marketing per channel on or off, or an SMS STOP recorded for them. Name only what changes. Marketing needs the customer's own yes; a STOP is lifted only by the customer texting START. This needs a staff approval: the call returns a pending approval.",
  tier: 'approval',
  input: z.object({
    customer_id: z.string().min(1).describe('The customer whose preferences change.'),
    ...preferencesChangeFields,
  }),
  subject: (args) => ({ customerId: args.customer_id }),
  previewChanges(result) {
    const { before, after } = result as { before: PreferencesView; after: PreferencesView };
    return (Object.keys(after) as (keyof PreferencesView)[])
      .filter((k) => k !== 'updated_by' && before[k] !== after[k])
      .map((k) => ({ field: `notification preferences.${k}`, before: before[k], after: after[k] }));
  },
  async run(args, ctx) {
    const { customer_id, ...change } = args;
    const { rows } = await ctx.db.query('SELECT 1 FROM customers WHERE id = $1', [customer_id]);
    if (!rows.length) throw new DomainError('not_found', 'customer_not_found', `customer ${customer_id} not found`);
    const update = toPreferencesUpdate(change);
    if (Object.keys(update.patch).length === 0 && !update.smsStopped) {
      throw new DomainError('invalid', 'nothing_to_change', 'name at least one preference to change');
    }
    const before = preferencesView(await loadPreferences(ctx.db, customer_id));
    const after = preferencesView(await updatePreferences(ctx.db, customer_id, update, ctx.actor));
    return { customer_id, before, after };
  },
});
