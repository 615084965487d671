import * as openid from 'openid-client';
import type { PendingOidcLogin } from './oidc-login-store.js';

/** How orderops is registered at the OpenID Connect issuer. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** PUBLIC_URL/auth/oidc/callback, as registered at the issuer. */
  redirectUri: string;
  /** Seconds any one call to the issuer may take. */
  timeoutSeconds?: number;
}

/** The issuer's discovery document could not be read: nobody can sign on until it can. */
export class OidcUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the sign-on issuer cannot be reached: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'OidcUnavailableError';
  }
}

/**
 * An authorization response that does not sign anyone in. `denied`: the issuer or the person
 * said no; `invalid`: something failed a check (state, code, signature, issuer, audience, nonce).
 */
export class OidcCallbackError extends Error {
  constructor(
    readonly reason: 'denied' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'OidcCallbackError';
  }
}

/** The claims of a verified ID token that an account is found by. */
export interface VerifiedOidcClaims {
  issuer: string;
  subject: string;
  email?: string;
  /** As the issuer says; undefined when it does not say. */
  emailVerified?: boolean;
  name?: string;
}

export interface OidcClient {
  /** A new sign-in: where to send the browser, and what its callback must match. */
  start(): Promise<{ url: URL; pending: PendingOidcLogin }>;
  /**
   * Checks the callback URL against the sign-in it answers, redeems the code (with the PKCE
   * verifier) and verifies the ID token: signature against the issuer's JWKS, issuer, audience,
   * expiry and nonce. Throws OidcCallbackError, or OidcUnavailableError when the issuer is down.
   */
  finish(callbackUrl: URL, pending: PendingOidcLogin): Promise<VerifiedOidcClaims>;
}

/**
 * The authorization code flow with PKCE (S256), state and nonce through openid-client. The
 * issuer is discovered at the first use rather than at start-up, so an issuer that is down
 * stops nobody's password sign-in and no process start; a failed discovery is tried again next time.
 */
export function createOidcClient(settings: OidcClientSettings): OidcClient {
  let discovered: Promise<openid.Configuration> | undefined;
  const configuration = (): Promise<openid.Configuration> => {
    discovered ??= openid
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: settings.timeoutSeconds ?? 10,
        execute: [
          // ID tokens come over TLS from the token endpoint, where the library would let the
          // connection stand in for the signature; we check the signature against the JWKS anyway.
          openid.enableNonRepudiationChecks,
          // The config only lets an http issuer through on 127.0.0.1 or localhost.
          ...(settings.issuer.startsWith('http:') ? [openid.allowInsecureRequests] : []),
        ],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        throw new OidcUnavailableError(err);
      });
    return discovered;
  };

  return {
    async start() {
      const config = await configuration();
      const pending: PendingOidcLogin = { state: openid.randomState(), nonce: openid.randomNonce(), codeVerifier: openid.randomPKCECodeVerifier() };
      const url = openid.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },

    async finish(callbackUrl, pending) {
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof openid.authorizationCodeGrant>>;
      try {
        tokens = await openid.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        if (err instanceof openid.AuthorizationResponseError) throw new OidcCallbackError('denied', `the issuer answered ${err.error}${err.error_description ? `: ${err.error_description}` : ''}`);
        if (err instanceof openid.ResponseBodyError) throw new OidcCallbackError('invalid', `the token endpoint answered ${err.error}`);
        if (isNetworkFailure(err)) throw new OidcUnavailableError(err);
        // openid-client's own message is generic ("invalid response encountered"); its cause says which check failed.
        const cause = (err as Error).cause;
        throw new OidcCallbackError('invalid', `${(err as Error).message}${cause instanceof Error ? `: ${cause.message}` : ''}`);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcCallbackError('invalid', 'the token response has no ID token');
      const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
      const verified = claims.email_verified;
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: text(claims.email),
        // Some issuers send the flag as a string.
        emailVerified: verified === undefined ? undefined : verified === true || verified === 'true',
        name: text(claims.name),
      };
    },
  };
}

// fetch() failing outright, or the timeout, means the issuer is down, not that its answer was wrong.
function isNetworkFailure(err: unknown): boolean {
  if (err instanceof TypeError && err.message === 'fetch failed') return true;
  const name = (err as Error | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
