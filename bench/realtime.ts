/**
 * Realtime through the local stack: 1,000 `ws` sockets on the Web PubSub stand-in, connected and
 * subscribed through the app's negotiate route and upstream handler.
 * 1. game_updates: an admin's PUT /api/games/{id}, timed from the request to each socket's receipt
 *    (the whole path: outbox, Service Bus, the realtime subscriber, the REST send, the fan-out).
 * 2. presence fan-out: userStatusChange events pushed by the app's own pushEvent and gateway at a
 *    target rate, each to the followers of one player; then the same events through Service Bus.
 * 3. the stand-in's own broadcast rate, in the same run, for comparison.
 */
import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import { createWebPubSubClient, WebPubSubGateway } from '../functions/adapters/webpubsub/gateway.js';
import { ServiceBusEventPublisher } from '../functions/adapters/servicebus/publisher.js';
import { userEvent, type UserEvent } from '../functions/core/events/events.js';
import { pushEvent, staffVisibility, type RealtimeDeps } from '../functions/core/realtime/realtime.js';
import { benchStack, machine, options, round } from './support.js';
import { broadcastRate, openSockets, percentile } from './webpubsub-support.js';

const args = options('Usage: npm run bench:realtime -- [options]', {
  sockets: { default: '1000', help: 'WebSocket clients' },
  rounds: { default: '5', help: 'catalog updates timed one at a time' },
  watched: { default: '1000', help: 'players whose presence is followed' },
  follows: { default: '3', help: 'presence topics each socket follows' },
  events: { default: '10000', help: 'presence events pushed directly' },
  rate: { default: '10000', help: 'target presence events per second' },
  inflight: { default: '64', help: 'concurrent pushes' },
  bus: { default: '1000', help: 'presence events sent through Service Bus' },
  messages: { default: '200', help: 'sends in the stand-in broadcast run' },
});

const BOOTSTRAP = randomUUID();

async function api<T = Record<string, unknown>>(url: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'POST'} ${url}: ${response.status} ${text}`);
  return { headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms))]);

async function main(): Promise<void> {
  const stack = await benchStack({
    label: 'bench-realtime',
    quiet: true,
    env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP, BCRYPT_COST: '10', SIGNUP_IP_LIMIT: '100000/60', LOGIN_IP_LIMIT: '100000/60', REFRESH_IP_LIMIT: '100000/60', SERVICE_TOKEN_IP_LIMIT: '100000/60' },
  });
  let sockets: WebSocket[] = [];
  try {
    // An admin for the catalog edits; game-server sockets, which may follow anyone's presence.
    const name = `bench${Date.now().toString(36)}`;
    const first = await api<{ accessToken: string; refreshToken: string }>(`${stack.api}/signup`, { body: { username: name, email: `${name}@example.com`, password: 'correct horse battery staple' } });
    await api(`${stack.api}/admin/bootstrap`, { token: first.body.accessToken, body: { token: BOOTSTRAP } });
    const admin = (await api<{ accessToken: string }>(`${stack.api}/token/refresh`, { body: { refreshToken: first.body.refreshToken } })).body.accessToken;
    const server = (await api<{ access_token: string }>(`${stack.api}/token`, { body: { grant_type: 'client_credentials', client_id: 'dev-game-server', client_secret: 'dev-game-server-secret' } })).body.access_token;

    let onMessage: (socket: number, message: Record<string, unknown>) => void = () => undefined;
    let closed = 0;
    const progress = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
    const connectStart = performance.now();
    sockets = await openSockets(
      args.sockets,
      async () => (await api<{ url: string }>(`${stack.api}/realtime/negotiate`, { method: 'POST', token: server })).body.url,
      (i, data) => onMessage(i, JSON.parse(data.toString('utf8')) as Record<string, unknown>),
      50,
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    for (const ws of sockets) ws.once('close', () => (closed += 1));
    progress(`${sockets.length} sockets connected`);

    /** Sends each socket its frames, at most `window` awaiting a reply at a time (each is one upstream call to the host). */
    async function subscribeAll(topicsOf: (i: number) => string[], window = 200): Promise<number> {
      const start = performance.now();
      const frames = sockets.flatMap((_, i) => topicsOf(i).map((topic) => ({ i, topic })));
      let sent = 0;
      let replies = 0;
      const sendNext = () => {
        const frame = frames[sent++];
        if (frame) sockets[frame.i]?.send(JSON.stringify({ action: 'subscribe', topic: frame.topic }));
      };
      const done = new Promise<void>((resolve, reject) => {
        onMessage = (_, message) => {
          if (typeof message['message'] !== 'string') return reject(new Error(`subscribe failed: ${JSON.stringify(message)}`));
          if (++replies === frames.length) resolve();
          sendNext();
        };
      });
      for (let k = 0; k < window; k++) sendNext();
      const ticker = setInterval(() => progress(`subscribe: ${replies}/${frames.length} replies, ${closed} sockets closed`), 10_000);
      try {
        await withTimeout(done, 600_000, `${frames.length - replies} subscribe replies missing (${closed} sockets closed)`);
      } finally {
        clearInterval(ticker);
      }
      return (performance.now() - start) / 1000;
    }

    // 1. game_updates.
    const subscribeSeconds = await subscribeAll(() => ['game_updates']);
    const created = await api<{ gameId: string }>(`${stack.api}/games`, { token: admin, body: { title: 'Bench Quest', genre: 'RPG', price: { amount: '1.00', currency: 'EUR' } } });
    let etag = created.headers.get('etag') ?? '';
    const latencies: number[] = [];
    const untilAll: number[] = [];
    for (let r = 0; r < args.rounds; r++) {
      const amount = `${r + 2}.00`;
      let pending = sockets.length;
      let sentAt = 0;
      let last = 0;
      const allHaveIt = new Promise<void>((resolve) => {
        onMessage = (_, message) => {
          if (message['type'] !== 'gameUpdated' || (message['data'] as { game: { price: { amount: string } } }).game.price.amount !== amount) return;
          last = performance.now() - sentAt;
          latencies.push(last);
          if (--pending === 0) resolve();
        };
      });
      sentAt = performance.now();
      const updated = await api(`${stack.api}/games/${created.body.gameId}`, { method: 'PUT', token: admin, headers: { 'if-match': etag }, body: { title: 'Bench Quest', genre: 'RPG', price: { amount, currency: 'EUR' } } });
      etag = updated.headers.get('etag') ?? '';
      await withTimeout(allHaveIt, 30_000, `round ${r}: ${pending} sockets still waiting`);
      untilAll.push(last);
    }
    latencies.sort((a, b) => a - b);
    untilAll.sort((a, b) => a - b);
    console.log(`machine: ${machine()}`);
    console.log(`sockets: ${args.sockets} (negotiated and connected through the host in ${round(connectSeconds, 1)} s; subscribed to game_updates in ${round(subscribeSeconds, 1)} s)`);
    console.log(`game_updates, ${args.rounds} admin updates: per-socket p50 ${round(percentile(latencies, 50), 1)} ms, p99 ${round(percentile(latencies, 99), 1)} ms, max ${round(latencies.at(-1) ?? 0, 1)} ms; until all have it: median ${round(percentile(untilAll, 50), 1)} ms, worst ${round(untilAll.at(-1) ?? 0, 1)} ms`);

    // 2. presence fan-out: socket i follows `follows` of the watched players, each player has sockets*follows/watched followers.
    const watched = Array.from({ length: args.watched }, (_, n) => `bench-player-${n}`);
    const followSeconds = await subscribeAll((i) => Array.from({ length: args.follows }, (_, k) => `presence:${watched[(i * args.follows + k) % watched.length]}`));
    progress('presence subscriptions done');
    const followers = new Map<string, number>();
    for (let i = 0; i < sockets.length; i++) for (let k = 0; k < args.follows; k++) {
      const id = watched[(i * args.follows + k) % watched.length] ?? '';
      followers.set(id, (followers.get(id) ?? 0) + 1);
    }
    const statusEvent = (n: number): UserEvent =>
      userEvent(randomUUID(), 'userStatusChange', { userId: watched[n % watched.length] ?? '', newStatus: n % 2 ? 'online' : 'away', previousStatus: n % 2 ? 'away' : 'online', timestamp: new Date().toISOString() });
    const deliveriesOf = (count: number) => Array.from({ length: count }, (_, n) => followers.get(watched[n % watched.length] ?? '') ?? 0).reduce((a, b) => a + b, 0);

    const client = createWebPubSubClient({ connectionString: stack.webPubSubConnectionString, endpoint: undefined, hub: stack.webPubSubHub }, undefined);
    if (!client) throw new Error('the stack has no Web PubSub connection string');
    const deps: RealtimeDeps = { gateway: new WebPubSubGateway(client), visibility: staffVisibility({ findById: async () => null }), users: { findById: async () => null }, sighted: async () => undefined, tokenMinutes: 60 };

    async function deliveriesWithin(expected: number, work: () => Promise<void>): Promise<{ workSeconds: number; seconds: number }> {
      let delivered = 0;
      const all = new Promise<void>((resolve) => {
        onMessage = (_, message) => {
          if (message['type'] === 'userStatusChange' && ++delivered === expected) resolve();
        };
      });
      const start = performance.now();
      await work();
      const workSeconds = (performance.now() - start) / 1000;
      await withTimeout(all, 300_000, `${expected - delivered} of ${expected} presence deliveries missing`);
      return { workSeconds, seconds: (performance.now() - start) / 1000 };
    }

    // Paced at the target rate, `inflight` at a time: the push path the subscriber runs, minus Service Bus.
    const direct = await deliveriesWithin(deliveriesOf(args.events), async () => {
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: args.inflight }, async () => {
          while (next < args.events) {
            const n = next++;
            const due = start + (n / args.rate) * 1000;
            if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
            await pushEvent(deps, statusEvent(n));
          }
        }),
      );
    });

    progress('direct pushes done');
    // The same events through the user-events topic: the realtime subscriber in the host pushes them.
    const publisher = new ServiceBusEventPublisher({ connectionString: stack.serviceBusConnectionString, fullyQualifiedNamespace: undefined, topic: 'user-events' }, undefined);
    const viaBus = await deliveriesWithin(deliveriesOf(args.bus), async () => {
      for (let n = 0; n < args.bus; n += 500) await publisher.publish(Array.from({ length: Math.min(500, args.bus - n) }, (_, k) => statusEvent(n + k)));
    });
    await publisher.close();
    progress('Service Bus pushes done');

    // 3. The stand-in alone: every socket in one group, SDK sends.
    const sdkClient = await client();
    await sdkClient.group('bench-all').addUser('client:dev-game-server');
    const broadcast = await broadcastRate(sdkClient.group('bench-all'), sockets.length, args.messages, 8, (receive) => {
      onMessage = () => receive();
    });

    const perFollower = args.sockets * args.follows / args.watched;
    console.log(`presence: ${args.sockets} sockets x ${args.follows} topics (${round(args.sockets * args.follows)} subscribes in ${round(followSeconds, 1)} s), ${round(perFollower, 1)} followers per player`);
    console.log(`  pushEvent, target ${round(args.rate)}/s, ${args.inflight} in flight: ${round(args.events)} events in ${round(direct.workSeconds, 2)} s = ${round(args.events / direct.workSeconds)} events/s; ${round(deliveriesOf(args.events))} deliveries in ${round(direct.seconds, 2)} s = ${round(deliveriesOf(args.events) / direct.seconds)} messages/s delivered`);
    console.log(`  through Service Bus: ${round(args.bus)} events, all ${round(deliveriesOf(args.bus))} deliveries in ${round(viaBus.seconds, 2)} s = ${round(args.bus / viaBus.seconds)} events/s, ${round(deliveriesOf(args.bus) / viaBus.seconds)} messages/s delivered`);
    console.log(`stand-in broadcast (same run): ${args.messages} sends to ${args.sockets} sockets, 8 in flight, in ${round(broadcast.sendSeconds, 2)} s = ${round(args.messages / broadcast.sendSeconds)} sends/s; ${round(broadcast.delivered)} deliveries in ${round(broadcast.seconds, 2)} s = ${round(broadcast.delivered / broadcast.seconds)} messages/s delivered`);
  } finally {
    for (const ws of sockets) ws.terminate();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
