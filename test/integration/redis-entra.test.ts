/**
 * Entra ID login against a real redis-server standing in for Azure Managed Redis: ACL users named
 * by object id whose passwords are the tokens, as AMR checks them.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, entraRedisCredentials, type RedisClient } from '../../functions/adapters/redis/client.js';
import { FakeCredential } from '../support/fake-credential.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.js';

let server: PrivateRedis;
let admin: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startPrivateRedis();
  admin = createClient({ url: server.url });
  await admin.connect();
  // Only token-holders get in: the default user is switched off, as with access keys disabled.
  await admin.sendCommand(['ACL', 'SETUSER', 'admin', 'on', '>admin', '~*', '&*', '+@all']);
  await admin.auth({ username: 'admin', password: 'admin' });
  await admin.sendCommand(['ACL', 'SETUSER', 'default', 'off']);
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

/** Lets in `oid` with exactly the passwords (tokens) given so far. */
async function allow(oid: string, tokens: string[]) {
  await admin.sendCommand(['ACL', 'SETUSER', oid, 'reset', 'on', ...tokens.map((t) => `>${t}`), '~*', '&*', '+@all']);
}

const waitFor = async (condition: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Redis with Entra ID credentials', () => {
  it('connects as the identity, and re-authenticates the open connection with the next token', async () => {
    const credential = new FakeCredential(['oid-first', 'oid-second'], 1_500);
    // The server accepts whatever the credential has issued so far; the fake issues eagerly enough.
    const original = credential.getToken.bind(credential);
    credential.getToken = async (scopes, options) => {
      const token = await original(scopes, options);
      const last = credential.issued.at(-1)!;
      await allow(last.oid, [last.token]);
      return token;
    };
    const errors: Error[] = [];
    let client: RedisClient | undefined;
    try {
      client = await connectRedis(server.url, (e) => errors.push(e), await entraRedisCredentials(credential, (e) => errors.push(e)));
      expect(await client.sendCommand(['ACL', 'WHOAMI'])).toBe('oid-first');
      await client.set('k', 'v');

      await waitFor(() => credential.issued.length >= 2, 3_000);
      // The same connection now runs as the second token's identity: AUTH was sent on it.
      let whoami = '';
      for (let i = 0; i < 100 && whoami !== 'oid-second'; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 20));
        whoami = String(await client.sendCommand(['ACL', 'WHOAMI']));
      }
      expect(whoami).toBe('oid-second');
      expect(await client.get('k')).toBe('v');
      expect(errors).toEqual([]);
    } finally {
      await client?.close();
    }
  });

  it('fails the connect at once when Redis refuses the token, instead of retrying forever', async () => {
    const credential = new FakeCredential(['oid-unknown'], 60_000);
    const started = Date.now();
    const attempt = connectRedis(server.url, () => {}, await entraRedisCredentials(credential));
    await expect(attempt).rejects.toThrow(/WRONGPASS|invalid username-password/i);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails the connect at once when Redis is unreachable', async () => {
    const errors: Error[] = [];
    await expect(connectRedis('redis://127.0.0.1:1', (e) => errors.push(e))).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 300));
    // The failed client was destroyed: no reconnect attempts keep reporting.
    expect(errors).toHaveLength(1);
  });
});
