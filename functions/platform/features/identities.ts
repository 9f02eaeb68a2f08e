/**
 * Identities: device ids, OpenID Connect providers and Steam as ways to sign in, linked to accounts.
 * IDENTITY_PROVIDERS is validated at start-up; the Steam key and the device-id hash key are secrets.
 */
import { hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { JoseOidcVerifier, type OidcProvider } from '../../adapters/oidc/jose-verifier.js';
import { RedisNonceRegistry } from '../../adapters/redis/nonces.js';
import { SteamWebApi } from '../../adapters/steam/web-api.js';
import type { AccountDeps } from '../../core/accounts/deps.js';
import { HmacDeviceIdHasher } from '../../core/identities/device-ids.js';
import type { IdentityDeps } from '../../core/identities/deps.js';
import { featureSettings, int, jsonSetting } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

/** Algorithms an ID token may be signed with; never "none" or an HMAC one (the key would be public). */
const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const providerSchema = z.strictObject({
  issuer: z.url('must be the issuer URL exactly as its tokens carry it'),
  /** Unset: read from <issuer>/.well-known/openid-configuration. */
  jwksUri: z.url().optional(),
  /** Other spellings of iss the provider uses (Google: "accounts.google.com" besides the https URL). */
  issuerAliases: z.array(z.string().min(1)).default([]),
  clientIds: z.array(z.string().min(1)).min(1, 'needs at least one client id (the audience of its tokens)'),
  algorithms: z.array(z.enum(SIGNING_ALGORITHMS)).min(1).default(['RS256']),
  allowCreate: z.boolean().default(false),
});

/** JSON {"<name>": {issuer, jwksUri?, clientIds, algorithms?, allowCreate?}}, names as in POST /api/login/oidc. */
export const identityProviders = jsonSetting('{}', '{"google": {"issuer": "https://accounts.google.com", "clientIds": ["..."]}}', z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'provider names are 1-64 letters, digits, "_", "." or "-"'), providerSchema));

/** The local issuer stand-in's provider: its client id is what the README's curl examples mint for. */
export const LOCAL_PROVIDER = { name: 'local', clientId: 'local-client' } as const;

export const identitySettings = featureSettings({
  shape: {
    IDENTITY_PROVIDERS: identityProviders,
    /** Set by `npm start -- --identity-stand-ins`: adds the stand-in issuer as provider "local". */
    IDENTITY_STAND_IN_OIDC_ISSUER: z.url().optional().describe('local-only'),
    STEAM_WEB_API_URL: z.url().default('https://partner.steam-api.com'),
    STEAM_APP_ID: int(1, 2 ** 32 - 1).optional(),
    /** The Steam publisher Web API key (Key Vault: steam-publisher-key). */
    STEAM_PUBLISHER_KEY: z.string().min(1).optional().describe('secret'),
    /** The HMAC key device ids are hashed with (Key Vault: device-id-hash-key); unset: derived from JWT_SIGNING_KEY. */
    DEVICE_ID_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional().describe('secret'),
  },
  read: (s) => {
    const providers = new Map<string, OidcProvider>(Object.entries(s.IDENTITY_PROVIDERS));
    if (s.IDENTITY_STAND_IN_OIDC_ISSUER && !providers.has(LOCAL_PROVIDER.name)) {
      providers.set(LOCAL_PROVIDER.name, {
        issuer: s.IDENTITY_STAND_IN_OIDC_ISSUER,
        issuerAliases: [],
        clientIds: [LOCAL_PROVIDER.clientId],
        algorithms: ['RS256', 'ES256'],
        allowCreate: true,
      });
    }
    return { identities: { providers, steam: { baseUrl: s.STEAM_WEB_API_URL, appId: s.STEAM_APP_ID } } };
  },
  secret: ['STEAM_PUBLISHER_KEY', 'DEVICE_ID_HASH_KEY'],
  unechoed: ['IDENTITY_PROVIDERS'],
});

export type IdentitiesConfig = ReturnType<typeof identitySettings.read>;

/** A key of its own when configured; else one derived from the signing key (rotating that key would orphan device links). */
function deviceIdKey(infra: Infrastructure): () => Promise<string> {
  return async () => {
    const own = await infra.secrets.get('DEVICE_ID_HASH_KEY');
    if (own !== undefined) return own;
    const signing = await infra.secrets.get('JWT_SIGNING_KEY');
    if (signing === undefined) throw new Error('neither DEVICE_ID_HASH_KEY nor JWT_SIGNING_KEY is set');
    return Buffer.from(hkdfSync('sha256', signing, 'player-accounts', 'device-id-hash-key', 32)).toString('base64url');
  };
}

export function wireIdentities(config: IdentitiesConfig, infra: Infrastructure, accounts: AccountDeps): IdentityDeps {
  return {
    ...accounts,
    deviceIds: new HmacDeviceIdHasher(deviceIdKey(infra)),
    oidc: new JoseOidcVerifier(config.identities.providers, { now: infra.clock.now }),
    steam: new SteamWebApi({ ...config.identities.steam, publisherKey: () => infra.secrets.get('STEAM_PUBLISHER_KEY') }),
    nonces: new RedisNonceRegistry(infra.redis, infra.keyPrefix, infra.clock.now),
  };
}
