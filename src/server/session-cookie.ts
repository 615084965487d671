/** The cookie that carries a console session's token. */
export const SESSION_COOKIE = 'orderops_session';

/** The session token in a Cookie header, or undefined. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  return randomTokenCookie(cookieHeader, SESSION_COOKIE);
}

/** The value of cookie `name` when it looks like a token we issue (base64url), else undefined. */
export function randomTokenCookie(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    // Our tokens are base64url; anything else was not issued here.
    return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * The Set-Cookie value for a session token: HttpOnly so page scripts cannot read it, SameSite=Lax
 * so other sites' forms do not carry it, Secure when the server is reached over https.
 */
export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(options.secure ? ['Secure'] : [])].join('; ');
}
