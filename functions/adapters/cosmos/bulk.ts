/**
 * Bulk writes and reads for the sync and the audit trail: `items.bulk` calls of at most 100
 * operations (the service's limit per call), several in flight. Not `executeBulkOperations`: it
 * waits at least a second per call for partial batches to fill, which at the sync's batch sizes
 * cost more than the writes themselves (measured in bench/sync.ts).
 */
import type { Container, OperationInput, OperationResponse } from '@azure/cosmos';

export type { JSONObject, OperationInput } from '@azure/cosmos';

/** Operations per `items.bulk` call: the service accepts at most 100. */
export const BULK_CHUNK = 100;
/** Calls in flight at once. */
export const BULK_IN_FLIGHT = 8;

/**
 * Throttled operations (429) are sent again after a growing, jittered pause (the bulk answer does
 * not say how long Cosmos asks to wait), for up to this long: a throttled audit batch that gave up
 * at once would be redelivered at once, spending its messages' delivery counts.
 */
const THROTTLE_BUDGET_MS = 10_000;
const THROTTLE_PAUSE_MS = 100;
const THROTTLE_PAUSE_MAX_MS = 2_000;

/**
 * Runs the operations, BULK_CHUNK per call and BULK_IN_FLIGHT calls at a time; each result at its
 * operation's index. Operations Cosmos throttled are retried; any other status is the caller's.
 */
export async function bulk(container: Container, operations: OperationInput[]): Promise<OperationResponse[]> {
  const results: OperationResponse[] = new Array<OperationResponse>(operations.length);
  let pending = operations.map((_, i) => i);
  const giveUpAt = Date.now() + THROTTLE_BUDGET_MS;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) {
      const pause = Math.min(THROTTLE_PAUSE_MAX_MS, THROTTLE_PAUSE_MS * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * (pause / 2)));
    }
    const chunks: number[][] = [];
    for (let start = 0; start < pending.length; start += BULK_CHUNK) chunks.push(pending.slice(start, start + BULK_CHUNK));
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(BULK_IN_FLIGHT, chunks.length) }, async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++] as number[];
          const responses = await container.items.bulk(chunk.map((i) => operations[i] as OperationInput));
          chunk.forEach((index, j) => {
            const response = responses[j];
            if (response) results[index] = response;
          });
        }
      }),
    );
    const retrying = Date.now() < giveUpAt;
    pending = pending.filter((i) => results[i] === undefined || (results[i]?.statusCode === 429 && retrying));
    // A missing answer is the SDK's bug, not throttling: report it rather than loop.
    if (pending.some((i) => results[i] === undefined)) throw new Error('Cosmos bulk call returned fewer results than operations');
  }
  return results;
}
