/** Reads secrets from Key Vault with the official SecretClient, authenticated by the app's identity. */
import type { TokenCredential } from '@azure/identity';
import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import type { SecretSource } from './cached-secrets.js';
import { keyVaultSecretName } from './secret-names.js';

/** One read may not hold a request up for long; the cache serves the last value meanwhile. */
const READ_TIMEOUT_MS = 5_000;
const PRODUCTION_CLIENT_OPTIONS: SecretClientOptions = {
  retryOptions: { maxRetries: 2, retryDelayInMs: 300, maxRetryDelayInMs: 2_000 },
};

export class KeyVaultSecretSource implements SecretSource {
  readonly description: string;
  private client: Promise<SecretClient> | undefined;

  /**
   * `clientOptions` is for tests (a stand-in's CA in tlsOptions, no retries, challenge
   * verification off); production passes only the vault and the managed identity.
   */
  constructor(
    private readonly vaultUri: string,
    private readonly credential: TokenCredential | Promise<TokenCredential>,
    private readonly clientOptions: SecretClientOptions = {},
  ) {
    this.description = `Key Vault ${vaultUri}`;
  }

  /** Created (and the SDK loaded) on first use, so an app without a vault never pays for it. */
  private secretClient(): Promise<SecretClient> {
    if (this.client) return this.client;
    const creating = Promise.all([import('@azure/keyvault-secrets'), this.credential]).then(
      ([{ SecretClient }, credential]) => new SecretClient(this.vaultUri, credential, { ...PRODUCTION_CLIENT_OPTIONS, ...this.clientOptions }),
    );
    this.client = creating;
    // A failed start (the SDK's import, the credential) is tried again by the next call.
    creating.catch(() => {
      if (this.client === creating) this.client = undefined;
    });
    return creating;
  }

  /** A round trip with the app's identity: a read of a secret no one creates, so the answer is a 404 and no value travels. */
  async ping(): Promise<void> {
    await this.read('HEALTH_PROBE');
  }

  async read(name: string): Promise<string | undefined> {
    const client = await this.secretClient();
    try {
      const secret = await client.getSecret(keyVaultSecretName(name), { requestOptions: { timeout: READ_TIMEOUT_MS } });
      return secret.value;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw new Error(describe(error), { cause: error });
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Status and error code, or the error's name: enough to diagnose, never a value. */
function describe(error: unknown): string {
  const status = statusOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (status !== undefined) return `HTTP ${status}${typeof code === 'string' ? ` ${code}` : ''}`;
  if (typeof code === 'string') return code;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
