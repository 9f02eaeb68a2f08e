/** Pieces the Web PubSub benchmarks share: percentiles, opening sockets in batches, the stand-in's broadcast rate. */
import type { WebPubSubGroup } from '@azure/web-pubsub';
import WebSocket from 'ws';

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Opens `count` sockets, `batch` at a time; `urlOf` gives each its URL, `onMessage` gets every frame by socket index. */
export async function openSockets(count: number, urlOf: (i: number) => Promise<string>, onMessage: (socket: number, data: Buffer) => void, batch = 100): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
        const index = i + j;
        const ws = new WebSocket(await urlOf(index));
        ws.on('message', (data: Buffer) => onMessage(index, data));
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        sockets[index] = ws;
      }),
    );
  }
  return sockets;
}

/**
 * The stand-in's own broadcast rate: `messages` sends to a group of `members` sockets back to back,
 * `inflight` at a time, until every delivery has arrived. `setReceiver` installs the counter.
 */
export async function broadcastRate(
  group: WebPubSubGroup,
  members: number,
  messages: number,
  inflight: number,
  setReceiver: (receive: () => void) => void,
): Promise<{ sendSeconds: number; seconds: number; delivered: number }> {
  let delivered = 0;
  const expected = members * messages;
  const allDelivered = new Promise<void>((resolve) => {
    setReceiver(() => {
      if (++delivered === expected) resolve();
    });
  });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < messages) await group.sendToAll({ n: next++, text: 'move e2e4' });
    }),
  );
  const sendSeconds = (performance.now() - start) / 1000;
  await Promise.race([allDelivered, new Promise((_, reject) => setTimeout(() => reject(new Error(`${expected - delivered} deliveries missing after 120 s`)), 120_000))]);
  return { sendSeconds, seconds: (performance.now() - start) / 1000, delivered };
}
