/** Helpers for the gameplay AI and secrets tests: fakes of their ports, the Key Vault stand-in with its test certificate, tokens. */
import { randomUUID, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { calculateJwkThumbprint, importJWK, SignJWT } from 'jose';
import type { SecretProvider } from '../../functions/core/kernel/secrets.js';
import { PROJECT_ROOT } from '../../infra/local/spawn-stack.js';
import { startKeyVaultStandIn, type KeyVaultStandIn, type KeyVaultStandInOptions } from '../../infra/keyvault/server.js';

/** A self-signed certificate for 127.0.0.1 and localhost, valid 2000-2099, for tests only. */
export const KEY_VAULT_CERT_PATH = join(PROJECT_ROOT, 'test/fixtures/keyvault/cert.pem');
const KEY_PATH = join(PROJECT_ROOT, 'test/fixtures/keyvault/key.pem');

export function startTestKeyVault(options: Omit<KeyVaultStandInOptions, 'cert' | 'key'> = {}): Promise<KeyVaultStandIn> {
  return startKeyVaultStandIn({ ...options, cert: readFileSync(KEY_VAULT_CERT_PATH), key: readFileSync(KEY_PATH) });
}

/** What a test's SecretClient needs for the stand-in: its CA, and no retries so failures show at once. */
export function standInClientOptions(): SecretClientOptions {
  return { tlsOptions: { ca: readFileSync(KEY_VAULT_CERT_PATH, 'utf8') }, retryOptions: { maxRetries: 0 }, disableChallengeResourceVerification: true };
}

export function standInCredential(vault: KeyVaultStandIn) {
  return { getToken: async () => ({ token: vault.accessToken, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

/**
 * Has the stack issue one token of its own first: a token minted outside it before its deny list
 * exists in Redis falls under the list's start (see adapters/redis/revocations.ts), as would any
 * token older than a Redis that came back empty.
 */
export async function startDenyList(api: string, client = { id: 'dev-game-server', secret: 'dev-game-server-secret' }): Promise<void> {
  const res = await fetch(`${api}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  if (res.status !== 200) throw new Error(`no token from ${api}: ${res.status} ${await res.text()}`);
}

/** An access token signed with the stack's key, as POST /api/token will issue for game servers. */
export async function mintToken(signingJwk: JsonWebKey, claims: { sub?: string; roles: string[] }): Promise<string> {
  const key = await importJWK(signingJwk as Parameters<typeof importJWK>[0], 'EdDSA');
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: await calculateJwkThumbprint(signingJwk as Parameters<typeof calculateJwkThumbprint>[0]) })
    .setSubject(claims.sub ?? `game-server-${randomUUID()}`)
    .setIssuer('player-accounts')
    .setAudience('player-accounts')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

/** A secret store whose value a test rotates; rejected() hands out the newest. */
export class FakeSecrets implements SecretProvider {
  readonly rejections: [string, string][] = [];
  constructor(public current: string | undefined, public next: string | undefined = current) {}
  async get(): Promise<string | undefined> {
    return this.current;
  }
  async rejected(name: string, value: string): Promise<string | undefined> {
    this.rejections.push([name, value]);
    this.current = this.next;
    return this.current;
  }
}
