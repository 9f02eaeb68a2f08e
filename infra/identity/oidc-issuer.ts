/**
 * A local OpenID Connect issuer for sign-in tests: discovery, a JWKS with an RS256 and an ES256
 * key, rotation on demand, and ID tokens minted on request (POST /mint), so the app's OIDC
 * verification (jose createRemoteJWKSet + jwtVerify) runs against real keys over real HTTP.
 * It does not run the authorization-code flow: tests mint the ID token a provider would return.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/** What a test asks for: the claims it cares about; iss, iat and exp are filled in. */
export interface MintRequest extends JWTPayload {
  sub: string;
  aud: string | string[];
  nonce?: string;
  /** Seconds from now until exp (default 3600); negative mints an expired token. */
  expiresIn?: number;
  email?: string;
}

export interface MintOptions {
  alg?: OidcAlgorithm;
}

interface SigningKey {
  kid: string;
  alg: OidcAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface OidcIssuerStandIn {
  /** The issuer identifier: http://127.0.0.1:PORT, no trailing slash (iss and discovery say exactly this). */
  issuer: string;
  discoveryUrl: string;
  jwksUri: string;
  /** Current key ids by algorithm. */
  currentKids(): Record<OidcAlgorithm, string>;
  /** The public JWKS: current keys and, unless dropped, the ones they replaced. */
  jwks(): { keys: JWK[] };
  mint(request: MintRequest, options?: MintOptions): Promise<string>;
  /** New keys for every algorithm; the previous ones stay in the JWKS unless dropPrevious. */
  rotate(options?: { dropPrevious?: boolean }): Promise<Record<OidcAlgorithm, string>>;
  stop(): Promise<void>;
}

async function newKey(alg: OidcAlgorithm): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`;
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

async function newKeySet(): Promise<SigningKey[]> {
  return Promise.all(OIDC_ALGORITHMS.map(newKey));
}

export async function startOidcIssuer(options: { port?: number } = {}): Promise<OidcIssuerStandIn> {
  let current = await newKeySet();
  let previous: SigningKey[] = [];
  let issuer = '';

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const byAlg = () => Object.fromEntries(current.map((k) => [k.alg, k.kid])) as Record<OidcAlgorithm, string>;

  async function mint(request: MintRequest, mintOptions: MintOptions = {}): Promise<string> {
    const alg = mintOptions.alg ?? 'RS256';
    const key = current.find((k) => k.alg === alg);
    if (!key) throw new Error(`alg must be one of ${OIDC_ALGORITHMS.join(', ')}`);
    const { expiresIn = 3600, ...claims } = request;
    const now = Math.floor(Date.now() / 1000);
    // OIDC Core: azp when the token has several audiences.
    const azp = Array.isArray(claims.aud) && claims['azp'] === undefined ? { azp: claims.aud[0] } : {};
    return new SignJWT({ iat: now, ...azp, ...claims, iss: issuer, exp: now + expiresIn })
      .setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  async function rotate(rotateOptions: { dropPrevious?: boolean } = {}) {
    previous = rotateOptions.dropPrevious ? [] : current;
    current = await newKeySet();
    return byAlg();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [...OIDC_ALGORITHMS],
        claims_supported: ['sub', 'aud', 'iss', 'exp', 'iat', 'nonce', 'azp', 'email', 'email_verified'],
      });
    }
    if (method === 'GET' && path === '/jwks') return send(res, 200, standIn.jwks());
    if (method === 'POST' && path === '/rotate') {
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { dropPrevious?: boolean }) : {};
      return send(res, 200, { kids: await rotate({ dropPrevious: body.dropPrevious === true }) });
    }
    if (method === 'POST' && path === '/mint') {
      const { alg, ...claims } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as MintRequest & { alg?: OidcAlgorithm };
      if (typeof claims.sub !== 'string' || (typeof claims.aud !== 'string' && !Array.isArray(claims.aud))) {
        return send(res, 400, { error: 'invalid_request', error_description: 'sub (string) and aud (string or array) are required' });
      }
      if (alg !== undefined && !OIDC_ALGORITHMS.includes(alg)) return send(res, 400, { error: 'invalid_request', error_description: `alg must be one of ${OIDC_ALGORITHMS.join(', ')}` });
      return send(res, 200, { idToken: await mint(claims, alg ? { alg } : {}) });
    }
    send(res, 404, { error: 'not_found', error_description: `No route ${method} ${path}` });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, error instanceof SyntaxError ? 400 : 500, { error: 'server_error', error_description: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const standIn: OidcIssuerStandIn = {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/jwks`,
    currentKids: byAlg,
    jwks: () => ({ keys: [...current, ...previous].map((k) => k.publicJwk) }),
    mint,
    rotate,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return standIn;
}
