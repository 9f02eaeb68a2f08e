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

/** Throttled operations (429) are sent again this many times, after a growing pause. */
const THROTTLE_RETRIES = 5;
const THROTTLE_PAUSE_MS = 100;

/**
 * Runs the operations, BULK_CHUNK per call and BULK_IN_FLIGHT calls at a time; each result at its
 * operation's index. Operations Cosmos throttled are retried; any other status is the caller's.
 */
export async function bulk(container: Container, operations: OperationInput[]): Promise<OperationResponse[]> {
  const results: OperationResponse[] = new Array<OperationResponse>(operations.length);
  let pending = operations.map((_, i) => i);
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, THROTTLE_PAUSE_MS * attempt));
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
    pending = pending.filter((i) => results[i] === undefined || (results[i]?.statusCode === 429 && attempt < THROTTLE_RETRIES));
    // A missing answer is the SDK's bug, not throttling: report it rather than loop.
    if (pending.some((i) => results[i] === undefined)) throw new Error('Cosmos bulk call returned fewer results than operations');
  }
  return results;
}
