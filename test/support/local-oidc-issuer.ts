import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The person who signs in at the issuer's next authorization request. */
export interface IssuerPerson {
  sub: string;
  email?: string;
  /** Left out of the ID token when undefined; a string as some issuers send it. */
  email_verified?: boolean | string;
  name?: string;
}

/** Ways the next ID token may be wrong, to see the client refuse it. */
export interface IdTokenTampering {
  /** Signed by a key that is not in the issuer's JWKS (the header names the real key's kid). */
  foreignKey?: boolean;
  audience?: string;
  issuer?: string;
  nonce?: string;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  person: IssuerPerson;
  tampering: IdTokenTampering;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const base64urlSha256 = (value: string) => createHash('sha256').update(value, 'ascii').digest('base64url');

/**
 * An OpenID Connect issuer on 127.0.0.1 for one registered client: the discovery document, a
 * JWKS, an authorization endpoint that signs in whoever `signIn` named and redirects back at once
 * (or with `deny`, answers access_denied), and a token endpoint that checks the client's secret,
 * the redirect URI and the PKCE verifier, redeems each code once, and returns an RS256 ID token.
 */
export class LocalOidcIssuer {
  url = '';
  /** Every token request's grant outcome, in order: 'issued' or the OAuth error code. */
  readonly tokenAnswers: string[] = [];
  private server: Server | undefined;
  private key!: SigningKey;
  private foreignKey!: SigningKey;
  private readonly codes = new Map<string, IssuedCode>();
  private next: { person: IssuerPerson; tampering: IdTokenTampering } | 'deny' | undefined;

  constructor(
    readonly client: { id: string; secret: string; redirectUri: string },
  ) {}

  async start(): Promise<string> {
    this.key = await newSigningKey('issuer-key-1');
    this.foreignKey = await newSigningKey('issuer-key-1');
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Who the next authorization request signs in, and how its ID token is to be spoiled, if at all. */
  signIn(person: IssuerPerson, tampering: IdTokenTampering = {}): void {
    this.next = { person, tampering };
  }

  /** The next authorization request is refused, as when the person clicks Cancel at the issuer. */
  deny(): void {
    this.next = 'deny';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') return json(res, 200, this.discovery());
    if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [this.key.publicJwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(req, res);
    return json(res, 404, { error: 'not_found' });
  }

  private discovery() {
    return {
      issuer: this.url,
      authorization_endpoint: `${this.url}/authorize`,
      token_endpoint: `${this.url}/token`,
      jwks_uri: `${this.url}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'email', 'profile'],
    };
  }

  private authorize(params: URLSearchParams, res: ServerResponse): void {
    const redirectUri = params.get('redirect_uri');
    // An unregistered redirect URI is never redirected to: the error is shown at the issuer.
    if (params.get('client_id') !== this.client.id || redirectUri !== this.client.redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const next = this.next;
    this.next = undefined;
    const problem =
      params.get('response_type') !== 'code' ? 'unsupported_response_type'
      : !params.get('scope')?.split(' ').includes('openid') ? 'invalid_scope'
      : params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge') ? 'invalid_request'
      : next === undefined || next === 'deny' ? 'access_denied'
      : undefined;
    if (problem || next === undefined || next === 'deny') {
      back.searchParams.set('error', problem ?? 'access_denied');
    } else {
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, { clientId: this.client.id, redirectUri, codeChallenge: params.get('code_challenge')!, nonce: params.get('nonce') ?? undefined, ...next });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const answer = (status: number, error: string) => {
      this.tokenAnswers.push(error);
      return json(res, status, { error });
    };
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id = '', pass = ''] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent);
      clientId = id;
      secret = pass;
    }
    if (clientId !== this.client.id || secret !== this.client.secret) return answer(401, 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code') return answer(400, 'unsupported_grant_type');
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    // Each code is redeemed once: a second request with it gets invalid_grant.
    this.codes.delete(code);
    if (!issued || issued.clientId !== clientId || issued.redirectUri !== form.get('redirect_uri')) return answer(400, 'invalid_grant');
    if (base64urlSha256(form.get('code_verifier') ?? '') !== issued.codeChallenge) return answer(400, 'invalid_grant');
    const { person, tampering } = issued;
    const key = tampering.foreignKey ? this.foreignKey : this.key;
    const claims: Record<string, unknown> = { sub: person.sub };
    if (person.email !== undefined) claims.email = person.email;
    if (person.email_verified !== undefined) claims.email_verified = person.email_verified;
    if (person.name !== undefined) claims.name = person.name;
    const nonce = tampering.nonce ?? issued.nonce;
    if (nonce !== undefined) claims.nonce = nonce;
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(tampering.issuer ?? this.url)
      .setAudience(tampering.audience ?? this.client.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
    this.tokenAnswers.push('issued');
    json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid email profile' });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
