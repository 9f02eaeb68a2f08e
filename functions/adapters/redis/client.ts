/** The Redis connection: one per process, failing fast when Redis is away instead of queueing. */
import type { TokenCredential } from '@azure/identity';
import type { EntraidCredentialsProvider } from '@redis/entraid';
import { once } from '../../core/kernel/once.js';

export type RedisCredentials = EntraidCredentialsProvider;

// node-redis is imported on the first connection, not with this module: a cold start that
// answers without Redis does not pay for it.
type RedisSdk = typeof import('redis');
const loadSdk = once(() => import('redis'));

function createRedisClient({ createClient }: RedisSdk, url: string, credentials?: RedisCredentials) {
  return createClient({
    url,
    ...(credentials ? { credentialsProvider: credentials } : {}),
    // A command sent while disconnected fails at once (503 to the caller) rather than hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 3_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * Connects, or fails on the first error: node-redis would otherwise retry a refused login or an
 * unreachable server forever and connect() would never settle, leaving callers hanging instead
 * of answering 503. The caller retries on its next use.
 */
export async function connectRedis(
  url: string,
  onError: (error: Error) => void = () => {},
  credentials?: RedisCredentials,
): Promise<RedisClient> {
  const client = createRedisClient(await loadSdk(), url, credentials);
  let failConnect: ((error: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failConnect = reject));
  // node-redis emits 'error' on every failed reconnect; without a listener the process would crash.
  client.on('error', (error: Error) => {
    onError(error);
    failConnect?.(error);
  });
  const connecting = client.connect();
  try {
    await Promise.race([connecting, failed]);
    return client;
  } catch (error) {
    connecting.catch(() => {}); // destroy() rejects the pending connect
    client.destroy();
    throw error;
  } finally {
    failConnect = undefined;
  }
}

/** When a token is this far through its life, a new one is fetched and sent with AUTH. */
export const ENTRA_REFRESH_RATIO = 0.7;

/**
 * Microsoft Entra ID credentials for Azure Managed Redis: the username is the token's `oid` (the
 * managed identity's object id, which bicep gives an access policy) and the password the token.
 * node-redis asks for them on every (re)connect and re-sends AUTH on open connections before the
 * token expires, so a long-lived connection never outlives its token.
 */
export async function entraRedisCredentials(credential: TokenCredential, onError: (error: Error) => void = () => {}): Promise<RedisCredentials> {
  const { EntraIdCredentialsProviderFactory, REDIS_SCOPE_DEFAULT } = await import('@redis/entraid');
  return EntraIdCredentialsProviderFactory.createForDefaultAzureCredential({
    credential,
    scopes: REDIS_SCOPE_DEFAULT,
    tokenManagerConfig: {
      expirationRefreshRatio: ENTRA_REFRESH_RATIO,
      // A failed refresh is retried with backoff while the current token is still valid (hours,
      // for managed identity tokens). Without isRetryable the token manager gives up at once.
      retry: {
        maxAttempts: 10,
        initialDelayMs: 500,
        maxDelayMs: 60_000,
        backoffMultiplier: 2,
        jitterPercentage: 20,
        isRetryable: () => true,
      },
    },
    onReAuthenticationError: (error) => onError(new Error(`redis re-authentication failed: ${error.message}`)),
    onRetryableError: (message) => onError(new Error(`redis token refresh failed, retrying: ${message}`)),
  });
}
