/**
 * Counts tests and benchmarks read straight from the stores, so the app's adapters carry no
 * methods that only tests call.
 */
import type { Container } from '@azure/cosmos';
import type { RedisClient } from '../functions/adapters/redis/client.js';

/** Entries still in the activity buffer (pending or unread): its stream's length, as the adapter keys it. */
export async function bufferBacklog(redis: () => Promise<RedisClient>, keyPrefix: string): Promise<number> {
  return (await redis()).xLen(`${keyPrefix}activity:buffer`);
}

/** Activity documents stored for one player. */
export async function storedActivityCount(activity: Container, userId: string): Promise<number> {
  const { resources } = await activity.items
    .query<number>({ query: "SELECT VALUE COUNT(1) FROM c WHERE c.userId = @u AND c.type = 'activity'", parameters: [{ name: '@u', value: userId }] }, { partitionKey: userId })
    .fetchAll();
  return resources[0] ?? 0;
}
