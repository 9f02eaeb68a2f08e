/**
 * Web PubSub broadcast: N `ws` clients in one group of the stand-in (its own process), sends
 * through the official SDK. Fan-out latency: one send at a time, the time from the REST call to
 * each socket's receipt. Broadcast rate: sends back to back, deliveries per second until every
 * socket has every message. The baseline for the realtime feature's own benchmarks.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type WebSocket from 'ws';
import { machine, options, round } from './support.js';
import { broadcastRate, openSockets, percentile } from './webpubsub-support.js';

const args = options('Usage: npm run bench:webpubsub -- [options]', {
  sockets: { default: '1000', help: 'clients in the group' },
  rounds: { default: '50', help: 'single sends timed for fan-out latency' },
  messages: { default: '500', help: 'sends in the broadcast-rate run' },
  inflight: { default: '8', help: 'concurrent REST sends in the broadcast-rate run' },
});


async function startStandIn() {
  const main = fileURLToPath(new URL('../infra/webpubsub/main.js', import.meta.url));
  const child = fork(main, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const connectionString = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^Endpoint=.*$/m.exec(output)?.[0];
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited with code ${code}`)));
  });
  return { connectionString, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const standIn = await startStandIn();
  const service = new WebPubSubServiceClient(standIn.connectionString, 'bench', { allowInsecureConnection: true });
  const group = service.group('everyone');
  // Each socket reports receipts through this hook, set per phase.
  let onReceive: (socket: number, data: Buffer) => void = () => undefined;
  const sockets: WebSocket[] = [];
  try {
    const connectStart = performance.now();
    sockets.push(
      ...(await openSockets(
        args.sockets,
        async (i) => (await service.getClientAccessToken({ userId: `player-${i}`, groups: ['everyone'] })).url,
        (i, data) => onReceive(i, data),
      )),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;

    // Fan-out latency, one send at a time.
    const latencies: number[] = [];
    const lastArrivals: number[] = [];
    for (let round = 0; round < args.rounds; round++) {
      let pending = args.sockets;
      let sentAt = 0;
      let last = 0;
      const allHaveIt = new Promise<void>((resolve) => {
        onReceive = () => {
          last = performance.now() - sentAt;
          latencies.push(last);
          if (--pending === 0) resolve();
        };
      });
      sentAt = performance.now();
      await group.sendToAll({ round, at: Date.now() });
      await Promise.race([allHaveIt, new Promise((_, reject) => setTimeout(() => reject(new Error(`round ${round}: ${pending} sockets still waiting after 30 s`)), 30_000))]);
      lastArrivals.push(last);
    }
    latencies.sort((a, b) => a - b);
    lastArrivals.sort((a, b) => a - b);

    // Broadcast rate: sends back to back, `inflight` at a time.
    const expected = args.sockets * args.messages;
    const rate = await broadcastRate(group, args.sockets, args.messages, args.inflight, (receive) => {
      onReceive = receive;
    });
    const sendSeconds = rate.sendSeconds;
    const rateSeconds = rate.seconds;

    console.log(`machine: ${machine()}`);
    console.log(`sockets: ${args.sockets} in one group (connected in ${round(connectSeconds, 1)} s)`);
    console.log(`fan-out of one send, ${args.rounds} rounds: per-socket latency p50 ${round(percentile(latencies, 50), 1)} ms, p99 ${round(percentile(latencies, 99), 1)} ms, max ${round(latencies.at(-1) ?? 0, 1)} ms`);
    console.log(`  time until all ${args.sockets} have it: median ${round(percentile(lastArrivals, 50), 1)} ms, worst ${round(lastArrivals.at(-1) ?? 0, 1)} ms`);
    console.log(`broadcast rate: ${args.messages} sends (${args.inflight} in flight) in ${round(sendSeconds, 2)} s = ${round(args.messages / sendSeconds)} sends/s; all ${round(expected)} deliveries in ${round(rateSeconds, 2)} s = ${round(expected / rateSeconds)} messages/s delivered`);
  } finally {
    for (const ws of sockets) ws.terminate();
    standIn.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
