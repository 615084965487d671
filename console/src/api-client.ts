/** An answer of the API that was not 2xx, with the API's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Permission = 'see' | 'act' | 'approve' | 'admin';

export interface Me {
  user: { id: string; email: string; name: string | null; role: string } | null;
  via: 'session' | 'api_token' | 'open';
  permissions: Permission[];
  csrf_token: string | null;
}

let csrfToken: string | null = null;

async function answer<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
  if (!res.ok) throw new ApiError(res.status, body.code ?? 'error', body.error ?? `HTTP ${res.status}`);
  return body as T;
}

/** GET a JSON resource of the API with the session cookie. */
export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' }));
}

/** POST JSON with the session's CSRF token (from /api/me). */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  return answer<T>(await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' }));
}

/** Who is signed in, or null when nobody is (401); keeps the CSRF token for postJson. */
export async function loadMe(): Promise<Me | null> {
  try {
    const me = await getJson<Me>('/api/me');
    csrfToken = me.csrf_token;
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** How people may sign in here (GET /auth/methods, answered without a session); password only when it cannot be read. */
export async function loadSignInMethods(): Promise<{ sso: boolean }> {
  try {
    return await getJson<{ sso: boolean }>('/auth/methods');
  } catch {
    return { sso: false };
  }
}
