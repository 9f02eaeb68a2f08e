/**
 * The AI key from Key Vault, end to end: the stack runs the production code path (managed
 * identity through an App Service style IDENTITY_ENDPOINT, the Key Vault challenge, the real
 * SecretClient) against the HTTPS stand-in, and the key is rotated under it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeyVaultStandIn } from '../../infra/keyvault/server.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../../infra/openai/server.js';
import { KEY_VAULT_CERT_PATH, mintToken, startDenyList, startTestKeyVault } from '../support/ai.js';
import { hashClientSecret } from '../../functions/core/accounts/service-clients.js';
import { call, startStack, type Stack } from '../support/stack.js';

const REREAD_SECONDS = 2;
let vault: KeyVaultStandIn;
let openai: OpenAiStandIn;
let stack: Stack;

beforeAll(async () => {
  vault = await startTestKeyVault();
  vault.setSecret('openai-api-key', 'sk-vault-1');
  openai = await startOpenAiStandIn({ apiKeys: ['sk-vault-1'] });
  stack = await startStack({
    label: 'ai-kv',
    env: {
      KEY_VAULT_URI: vault.url,
      SECRET_REREAD_MIN_INTERVAL_SECONDS: String(REREAD_SECONDS),
      // What Azure Functions sets for a managed identity, and the identity bicep assigns.
      AZURE_CLIENT_ID: 'e2e-user-assigned-identity',
      IDENTITY_ENDPOINT: vault.identityEndpoint,
      IDENTITY_HEADER: vault.identityHeader,
      // The stand-in's self-signed certificate, trusted the way any Node process can be told to.
      NODE_EXTRA_CA_CERTS: KEY_VAULT_CERT_PATH,
      // Ignored with a vault: the log says so.
      OPENAI_API_KEY: 'sk-from-settings',
      OPENAI_BASE_URL: openai.baseUrl,
    },
  });
  // Every secret comes from the vault once it is configured: the token signing key and the
  // game-server clients too (the stack's own JWT_SIGNING_KEY setting is ignored).
  vault.setSecret('jwt-signing-key', JSON.stringify(stack.signingJwk));
  vault.setSecret('game-server-clients', JSON.stringify([{ id: 'vault-client', secretHash: hashClientSecret('vault-client-secret') }]));
  await startDenyList(stack.api, { id: 'vault-client', secret: 'vault-client-secret' });
});
afterAll(async () => {
  await stack?.stop();
  await Promise.all([vault?.stop(), openai?.stop()]);
});
beforeEach(() => openai.reset());

const ask = async () =>
  call(`${stack.api}/game/ai`, { body: { task: 'hint', prompt: 'Where is the key?' }, token: await mintToken(stack.signingJwk, { roles: ['game-server'] }) });

describe('secrets from Key Vault', () => {
  it('signs tokens with the vault\'s key and knows the vault\'s game-server clients', async () => {
    const token = await call<{ access_token: string }>(`${stack.api}/token`, {
      body: { grant_type: 'client_credentials', client_id: 'vault-client', client_secret: 'vault-client-secret' },
    });
    expect(token.status).toBe(200);
    const header = JSON.parse(Buffer.from(token.body.access_token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    const jwks = await call<{ keys: { kid: string; x: string }[] }>(`${stack.api}/.well-known/jwks.json`);
    expect(jwks.body.keys.map((k) => k.kid)).toEqual([header.kid]);
    expect(jwks.body.keys[0]?.x).toBe((stack.signingJwk as { x: string }).x);
    expect(vault.reads('jwt-signing-key')).toBe(1);
    // The development client of the settings does not exist here.
    const dev = await call(`${stack.api}/token`, { body: { grant_type: 'client_credentials', client_id: 'dev-game-server', client_secret: 'dev-game-server-secret' } });
    expect(dev.status).toBe(401);
  });
});

describe('gameplay AI with the key in Key Vault', () => {
  it('reads the key with the managed identity, once, and says where secrets come from', async () => {
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    expect(openai.requests.map((r) => r.apiKey)).toEqual(['sk-vault-1', 'sk-vault-1']);
    expect(vault.reads('openai-api-key')).toBe(1);
    const identity = vault.requests.filter((r) => r.path === '/msi/token');
    expect(identity.map((r) => r.status)).toEqual([200]);
    expect(stack.output()).toContain(`secrets: Key Vault ${vault.url}, cached 300 s; ignoring the settings OPENAI_API_KEY`);
  });

  it('re-reads a rotated key when the provider refuses the cached one, and succeeds with it', async () => {
    vault.setSecret('openai-api-key', 'sk-vault-2');
    openai.setApiKeys(['sk-vault-2']);
    const res = await ask();
    expect(res.status).toBe(200);
    expect(res.body['output']).toBe('Stand-in reply to: Where is the key?');
    expect(openai.requests.map((r) => [r.apiKey, r.status])).toEqual([
      ['sk-vault-1', 401],
      ['sk-vault-2', 200],
    ]);
    expect(vault.reads('openai-api-key')).toBe(2);
  });

  it('does not let a flood of refusals hammer the vault: one re-read per interval', async () => {
    vault.setSecret('openai-api-key', 'sk-vault-3');
    openai.setApiKeys(['sk-vault-3']);
    const flood = await Promise.all(Array.from({ length: 5 }, () => ask()));
    expect(flood.map((r) => r.status)).toEqual([502, 502, 502, 502, 502]);
    expect(flood[0]?.body).toMatchObject({ code: 'UPSTREAM_FAILED', detail: "The AI provider refused this service's credentials." });
    expect(vault.reads('openai-api-key')).toBe(2);

    await new Promise((r) => setTimeout(r, REREAD_SECONDS * 1000 + 100));
    expect((await ask()).status).toBe(200);
    expect(vault.reads('openai-api-key')).toBe(3);
    expect(stack.output()).not.toMatch(/sk-vault-\d|sk-from-settings/);
  });
});
