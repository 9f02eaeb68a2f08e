/**
 * Chooses where secrets come from, once, from the settings: Key Vault when KEY_VAULT_URI is set,
 * else the app settings of the same names. Never probed per request.
 */
import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import type { SecretProvider } from '../../core/kernel/secrets.js';
import { azureCredential } from '../identity.js';
import { CachedSecretProvider } from './cached-secrets.js';
import { KeyVaultSecretSource } from './key-vault-source.js';
import { SettingsSecretProvider } from './settings-secrets.js';

export interface SecretsConfig {
  keyVaultUri: string | undefined;
  cacheSeconds: number;
  rereadMinIntervalSeconds: number;
  /** Values of the secret settings, used only without a vault. */
  settings: Readonly<Record<string, string | undefined>>;
}

export interface SecretProviderOverrides {
  credential?: TokenCredential;
  clientOptions?: SecretClientOptions;
  log?: (message: string) => void;
}

export function createSecretProvider(
  config: SecretsConfig,
  azureClientId: string | undefined,
  overrides: SecretProviderOverrides = {},
): { provider: SecretProvider; description: string; ping?: () => Promise<void> } {
  const log = overrides.log ?? ((message: string) => console.warn(message));
  if (config.keyVaultUri === undefined) {
    return { provider: new SettingsSecretProvider(config.settings), description: 'secrets: from app settings (KEY_VAULT_URI is not set)' };
  }
  const clientOptions: SecretClientOptions = {
    // A vault on a loopback address is the local stand-in (the real one is always *.vault.azure.net),
    // whose challenge cannot name a parent domain of 127.0.0.1.
    ...(isLoopback(config.keyVaultUri) ? { disableChallengeResourceVerification: true } : {}),
    ...overrides.clientOptions,
  };
  const source = new KeyVaultSecretSource(config.keyVaultUri, overrides.credential ?? azureCredential(azureClientId), clientOptions);
  const provider = new CachedSecretProvider(source, {
    ttlMs: config.cacheSeconds * 1000,
    rereadIntervalMs: config.rereadMinIntervalSeconds * 1000,
    log,
  });
  const ignored = Object.entries(config.settings).filter(([, value]) => value !== undefined).map(([name]) => name);
  const note = ignored.length > 0 ? `; ignoring the settings ${ignored.join(', ')}` : '';
  return { provider, description: `secrets: ${source.description}, cached ${config.cacheSeconds} s${note}`, ping: () => source.ping() };
}

function isLoopback(uri: string): boolean {
  const host = new URL(uri).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
