import type { FastifyReply } from 'fastify';

/**
 * The policy of every public page: nothing loads but the inlined stylesheet (by its hash) and
 * same-origin or data: images; no script at all; forms post only back to us; no framing; no
 * <base> that could redirect relative links.
 */
export function publicPageCsp(styleHash: string): string {
  return [
    "default-src 'none'",
    `style-src ${styleHash}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Sends a rendered public page. The URL carries a signed token, so the page must never leave it
 * anywhere: no Referer to other sites, no shared or browser cache, no search index.
 */
export function sendPublicPage(reply: FastifyReply, page: { status: number; html: string; styleHash: string }): FastifyReply {
  return reply
    .code(page.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', publicPageCsp(page.styleHash))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store')
    .send(page.html);
}
