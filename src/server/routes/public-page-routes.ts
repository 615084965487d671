import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/db.js';
import type { Actor } from '../../domain/actor.js';
import { loadPreferences, updatePreferences, type PreferencesPatch } from '../../notifications/consent/notification-preferences.js';
import { loadTrackingView } from '../../notifications/load-tracking-view.js';
import type { MessageCategory } from '../../notifications/notification-links.js';
import { verifyToken } from '../../notifications/signed-token.js';
import type { PublicPage, PublicPageRenderer } from '../public-page-renderer.js';
import type { RoutePlugin } from '../route-plugin.js';
import { sendPublicPage } from '../send-public-page.js';
import { trackingPageScope } from '../tracking-page-scope.js';

export interface PublicPageRoutesOptions {
  db: Db;
  /** The key tracking and unsubscribe links are signed with. */
  signingSecret: string;
  renderer: PublicPageRenderer;
  supportEmail: string;
}

/**
 * The token is the rest of the path (a wildcard, not `:token`): an unsubscribe token for a long
 * customer id is longer than the router's parameter limit, and a junk token of any length still
 * gets the not-found page rather than the router's own error.
 */
export const TRACKING_PAGE_ROUTE = '/track/*';
export const UNSUBSCRIBE_PAGE_ROUTE = '/unsubscribe/*';

/** What email a category's unsubscribe link switches off. */
const UNSUBSCRIBE_PATCH: Record<MessageCategory, PreferencesPatch> = {
  transactional: { emailTransactional: false },
  marketing: { emailMarketing: false },
};

const isSubscribed = (prefs: { emailTransactional: boolean; emailMarketing: boolean }, category: MessageCategory) =>
  category === 'transactional' ? prefs.emailTransactional : prefs.emailMarketing;

/**
 * `GET /track/<token>`: one order's parcels and carrier events, for whoever holds the signed link.
 * `GET /unsubscribe/<token>` asks to confirm (mail scanners open links, so a GET changes nothing);
 * `POST` to the same address unsubscribes, which is also the RFC 8058 one-click request a mail
 * client sends without cookies or any other context. A token that is malformed, forged or signed
 * for the other page gets the not-found page before the database is asked anything, so neither
 * the answer nor its timing says whether the order or customer exists.
 */
export function publicPageRoutes(options: PublicPageRoutesOptions): RoutePlugin {
  const { db, signingSecret, renderer } = options;

  async function send(reply: FastifyReply, status: number, page: PublicPage, scope: Record<string, unknown> = {}) {
    return sendPublicPage(reply, { status, html: await renderer.render(page, scope), styleHash: renderer.styleHash });
  }
  const notFound = (reply: FastifyReply) => send(reply, 404, 'not-found');

  /** The customer and category an unsubscribe token names, when it is genuine and the customer exists. */
  async function unsubscribeSubject(token: string): Promise<{ customerId: string; category: MessageCategory } | null> {
    const subject = verifyToken(signingSecret, 'unsubscribe', token);
    if (subject === null) return null;
    const cut = subject.lastIndexOf('\n');
    const customerId = subject.slice(0, cut);
    const category = subject.slice(cut + 1);
    if (cut <= 0 || (category !== 'transactional' && category !== 'marketing')) return null;
    const { rows } = await db.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
    return rows.length ? { customerId, category } : null;
  }

  return (app) => {
    // The one-click POST may come form-encoded or as multipart, and what it says is fixed by
    // RFC 8058: the request itself is the customer's decision, so the body is accepted unread.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, _body, done) => done(null, null));

    app.get<{ Params: { '*': string } }>(TRACKING_PAGE_ROUTE, async (request, reply) => {
      const orderId = verifyToken(signingSecret, 'track', request.params['*']);
      const view = orderId === null ? null : await loadTrackingView(db, orderId);
      if (!view) return notFound(reply);
      return send(reply, 200, 'tracking', trackingPageScope(view, options.supportEmail));
    });

    app.get<{ Params: { '*': string } }>(UNSUBSCRIBE_PAGE_ROUTE, async (request, reply) => {
      const found = await unsubscribeSubject(request.params['*']);
      if (!found) return notFound(reply);
      const prefs = await loadPreferences(db, found.customerId);
      return send(reply, 200, 'unsubscribe', { category: found.category, state: isSubscribed(prefs, found.category) ? 'confirm' : 'already' });
    });

    app.post<{ Params: { '*': string } }>(UNSUBSCRIBE_PAGE_ROUTE, async (request, reply) => {
      const found = await unsubscribeSubject(request.params['*']);
      if (!found) return notFound(reply);
      // A repeat (the mail client retrying, a second click) finds it done and writes nothing.
      if (isSubscribed(await loadPreferences(db, found.customerId), found.category)) {
        const actor: Actor = { kind: 'webhook', id: 'unsubscribe-link', onBehalfOf: found.customerId };
        await updatePreferences(db, found.customerId, { patch: UNSUBSCRIBE_PATCH[found.category] }, actor);
      }
      return send(reply, 200, 'unsubscribe', { category: found.category, state: 'done' });
    });
  };
}
