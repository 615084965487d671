import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';

export const PUBLIC_PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'notifications', 'pages');

/** The pages customers open from a message link: each is `<name>.liquid` in the pages folder. */
export type PublicPage = 'tracking' | 'unsubscribe' | 'not-found';

export interface PublicPageOptions {
  /** IANA zone (STORE_TIMEZONE) every date on a page is shown in. */
  timezone: string;
  storeName: string;
  supportEmail: string;
  /** Default: notifications/pages. */
  dir?: string;
}

/**
 * Renders the public pages from Liquid templates, HTML-escaping every value by default so nothing
 * a customer, storefront or carrier wrote can become markup. The stylesheet (page.css) is inlined
 * and `styleHash` is its CSP source, so a page needs no second request and no 'unsafe-inline'.
 */
export interface PublicPageRenderer {
  render(page: PublicPage, scope: Record<string, unknown>): Promise<string>;
  /** `'sha256-…'` of the inlined stylesheet, for the Content-Security-Policy's style-src. */
  readonly styleHash: string;
}

export function createPublicPageRenderer(options: PublicPageOptions): PublicPageRenderer {
  const dir = options.dir ?? PUBLIC_PAGES_DIR;
  const style = readFileSync(join(dir, 'page.css'), 'utf8');
  const styleHash = `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`;
  const engine = new Liquid({
    root: [dir],
    partials: [join(dir, '_partials')],
    layouts: [join(dir, '_partials')],
    extname: '.liquid',
    outputEscape: 'escape',
    strictFilters: true,
    strictVariables: true,
    cache: true,
  });
  const dateOnly = new Intl.DateTimeFormat('en-US', { timeZone: options.timezone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const dateTime = new Intl.DateTimeFormat('en-US', {
    timeZone: options.timezone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short',
  });
  const asDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
  engine.registerFilter('local_date', (v: unknown) => (v == null ? '' : dateOnly.format(asDate(v))));
  engine.registerFilter('local_datetime', (v: unknown) => (v == null ? '' : dateTime.format(asDate(v))));
  const store = { name: options.storeName, support_email: options.supportEmail };
  return {
    styleHash,
    async render(page, scope) {
      return (await engine.renderFile(page, { ...scope, store, style })) as string;
    },
  };
}
