/**
 * A local stand-in for Key Vault's secrets REST API, enough for the official SecretClient:
 * the challenge flow, get (latest or a version), set, and the error shape. It also serves an App
 * Service style managed-identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), so the app's
 * production credential (ManagedIdentityCredential) can be exercised without Azure.
 * Tests rotate secrets with setSecret() and take the vault down with setDown(true).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyVaultStandInOptions {
  /** PEM certificate and key of the HTTPS listener (self-signed is fine; the client trusts it). */
  cert: string | Buffer;
  key: string | Buffer;
  port?: number;
  /**
   * `resource` of the 401 challenge. Real Key Vault says https://vault.azure.net; the SDK then
   * insists the vault host ends in ".vault.azure.net" unless disableChallengeResourceVerification.
   */
  resource?: string;
  tenantId?: string;
}

export interface KeyVaultRequest {
  method: string;
  path: string;
  /** The secret name for secret operations, else undefined. */
  secret: string | undefined;
  status: number;
}

interface Version {
  id: string;
  value: string;
  created: number;
}

export interface KeyVaultStandIn {
  /** The vault URI, e.g. https://127.0.0.1:12345 (what KEY_VAULT_URI would hold). */
  url: string;
  /** App Service managed-identity endpoint and header, as Azure sets IDENTITY_ENDPOINT / IDENTITY_HEADER. */
  identityEndpoint: string;
  identityHeader: string;
  /** The bearer token the vault accepts (the identity endpoint hands out this one). */
  accessToken: string;
  /** Every request, in order (challenge round trips included). */
  requests: KeyVaultRequest[];
  /** Authorised reads (GET with a valid token) of a secret: what a cache is measured by. */
  reads(name?: string): number;
  setSecret(name: string, value: string): void;
  deleteSecret(name: string): void;
  /** While down, every vault request gets 503 ServiceUnavailable (the identity endpoint still works). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

const NAME = /^[0-9A-Za-z-]{1,127}$/;

export async function startKeyVaultStandIn(options: KeyVaultStandInOptions): Promise<KeyVaultStandIn> {
  const resource = options.resource ?? 'https://vault.azure.net';
  const tenantId = options.tenantId ?? '00000000-0000-0000-0000-000000000000';
  const accessToken = `kv-stand-in-${randomBytes(16).toString('hex')}`;
  const identityHeader = randomBytes(16).toString('hex');
  const secrets = new Map<string, Version[]>();
  const requests: KeyVaultRequest[] = [];
  let down = false;
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const kvError = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { error: { code, message } }, headers);

  const bundle = (name: string, version: Version) => ({
    value: version.value,
    id: `${base}/secrets/${name}/${version.id}`,
    attributes: { enabled: true, created: version.created, updated: version.created, recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 },
    tags: {},
  });

  const setSecret = (name: string, value: string): Version => {
    const version = { id: randomBytes(16).toString('hex'), value, created: Math.floor(Date.now() / 1000) };
    // Key Vault names are case-insensitive; store under the lower-case form.
    const key = name.toLowerCase();
    secrets.set(key, [...(secrets.get(key) ?? []), version]);
    return version;
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function identity(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.headers['x-identity-header'] !== identityHeader) return kvError(res, 401, 'Unauthorized', 'missing or wrong X-IDENTITY-HEADER');
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    send(res, 200, {
      access_token: accessToken,
      expires_on: String(expiresOn),
      resource: url.searchParams.get('resource') ?? resource,
      token_type: 'Bearer',
      client_id: url.searchParams.get('client_id') ?? 'system-assigned',
    });
  }

  async function vault(req: IncomingMessage, res: ServerResponse, url: URL, record: KeyVaultRequest): Promise<void> {
    if (!url.searchParams.get('api-version')) return kvError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    const match = /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/.exec(url.pathname);
    const name = match?.[1];
    record.secret = name?.toLowerCase();
    if (down) return kvError(res, 503, 'ServiceUnavailable', 'The service is temporarily unavailable (stand-in is down).');
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      const challenge = `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${resource}"`;
      await readBody(req);
      return kvError(res, 401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', { 'www-authenticate': challenge });
    }
    if (!name) return kvError(res, 404, 'NotFound', `No route for ${req.method} ${url.pathname}`);
    if (!NAME.test(name)) return kvError(res, 400, 'BadParameter', 'The secret name must be 1-127 characters of 0-9, a-z, A-Z and -.');
    const versions = secrets.get(name.toLowerCase()) ?? [];
    if (req.method === 'GET') {
      const wanted = match[2];
      const version = wanted ? versions.find((v) => v.id === wanted) : versions.at(-1);
      if (!version) {
        const what = wanted ? `A secret with (name/id) ${name}/${wanted}` : `A secret with (name/id) ${name}`;
        return kvError(res, 404, 'SecretNotFound', `${what} was not found in this key vault.`);
      }
      return send(res, 200, bundle(name, version));
    }
    if (req.method === 'PUT' && !match[2]) {
      let value: unknown;
      try {
        value = (JSON.parse(await readBody(req)) as { value?: unknown }).value;
      } catch {
        value = undefined;
      }
      if (typeof value !== 'string') return kvError(res, 400, 'BadParameter', 'Property "value" is required and must be a string.');
      return send(res, 200, bundle(name, setSecret(name, value)));
    }
    kvError(res, 405, 'MethodNotAllowed', `${req.method} is not supported by the stand-in.`);
  }

  const server: Server = createServer({ cert: options.cert, key: options.key, keepAlive: true }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const record: KeyVaultRequest = { method: req.method ?? 'GET', path: url.pathname, secret: undefined, status: 0 };
    requests.push(record);
    res.once('finish', () => (record.status = res.statusCode));
    const work = url.pathname === '/msi/token' ? Promise.resolve(identity(req, res, url)) : vault(req, res, url, record);
    work.catch((error: unknown) => kvError(res, 500, 'InternalError', error instanceof Error ? error.message : String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    identityEndpoint: `${base}/msi/token`,
    identityHeader,
    accessToken,
    requests,
    reads: (name?: string) =>
      requests.filter((r) => r.method === 'GET' && r.status === 200 && r.secret !== undefined && (name === undefined || r.secret === name)).length,
    setSecret: (name, value) => void setSecret(name, value),
    deleteSecret: (name) => void secrets.delete(name.toLowerCase()),
    setDown: (value) => void (down = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
