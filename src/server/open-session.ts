import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionStore } from '../security/session-store.js';
import type { User, UserRepository } from '../security/user-repository.js';
import { sessionCookie, sessionTokenFrom } from './session-cookie.js';

/** What opening a session needs; one per route group. */
export interface SessionOpener {
  users: Pick<UserRepository, 'recordLogin'>;
  sessions: SessionStore;
  ttlMs: number;
  /** Whether the cookie gets Secure (PUBLIC_URL is https). */
  secure: boolean;
}

/**
 * Signs `user` in on this reply, whichever way they proved who they are (password or single
 * sign-on): stamps the login, opens a session and sets its cookie. Returns the session's CSRF
 * token and expiry for the answer.
 */
export async function openSession(opener: SessionOpener, request: FastifyRequest, reply: FastifyReply, user: User): Promise<{ csrfToken: string; expiresAt: string }> {
  await opener.users.recordLogin(user.id);
  // A fresh token at every sign-in: a session planted before it (fixation) is dropped, not promoted.
  const previous = sessionTokenFrom(request.headers.cookie);
  if (previous) await opener.sessions.delete(previous);
  await opener.sessions.expire();
  const session = await opener.sessions.create(user.id, { ip: request.ip, userAgent: request.headers['user-agent'] });
  void reply.header('set-cookie', sessionCookie(session.token, { secure: opener.secure, maxAgeSeconds: Math.floor(opener.ttlMs / 1000) })).header('cache-control', 'no-store');
  return { csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}
