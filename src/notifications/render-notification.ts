import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import type { NotificationContext } from './notification-context.js';

/** The parts of one rendered message; an SMS has only `sms`. */
export interface RenderedNotification {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

/**
 * Liquid templates (the language of Shopify's own notification templates), one folder per
 * template under `dir`: subject.liquid, text.liquid, html.liquid and sms.liquid. `dir` also holds
 * the shared partials (`{% render 'footer' %}` reads dir/_partials/footer.liquid). HTML output is
 * escaped by default, so a customer's name can never become markup.
 */
export interface NotificationRenderer {
  render(template: string, context: NotificationContext): Promise<RenderedNotification>;
  /** Whether `template` exists (every part is there); a workflow naming a missing one is refused when loaded. */
  has(template: string): boolean;
}

const PARTS = ['subject', 'text', 'html', 'sms'] as const;

export function createNotificationRenderer(dir: string, options: { timezone: string }): NotificationRenderer {
  const engine = new Liquid({ root: [dir], partials: [join(dir, '_partials')], extname: '.liquid', strictFilters: true, timezoneOffset: options.timezone, cache: true });
  const html = new Liquid({ root: [dir], partials: [join(dir, '_partials')], extname: '.liquid', strictFilters: true, outputEscape: 'escape', timezoneOffset: options.timezone, cache: true });
  return {
    has: (template) => /^[a-z0-9][a-z0-9_-]*$/.test(template) && PARTS.every((p) => existsSync(join(dir, template, `${p}.liquid`))),
    async render(template, context) {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(template)) throw new Error(`"${template}" is not a template name`);
      const scope = context as unknown as Record<string, unknown>;
      const [subject, text, body, sms] = await Promise.all(
        PARTS.map((part) => (part === 'html' ? html : engine).renderFile(join(template, part), scope) as Promise<string>),
      );
      return { subject: subject!.trim().replace(/\s+/g, ' '), text: text!.trim() + '\n', html: body!, sms: sms!.trim().replace(/\s+/g, ' ') };
    },
  };
}
