/**
 * A fault-injecting TCP proxy on a free 127.0.0.1 port, put in front of a stand-in: `pass`
 * forwards, `stall` holds every byte (both ways) until the mode changes, as a paused network does, `cut` resets every connection (open and new),
 * `delay` holds each chunk for `delayMs`. And an HTTP proxy that answers 429 as Cosmos does when
 * throttling, for the Cosmos stand-in (which never throttles).
 */
import { createServer as createHttpServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'stall' | 'cut' | 'delay';

export interface FaultProxy {
  port: number;
  mode: FaultMode;
  delayMs: number;
  set(mode: FaultMode, delayMs?: number): void;
  stop(): Promise<void>;
}

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const open = new Set<Socket>();
  const held: { to: Socket; chunk: Buffer }[] = [];
  const pipe = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (proxy.mode === 'stall') held.push({ to, chunk }); // the peer waits; nothing is lost or reordered
      else if (proxy.mode === 'delay') setTimeout(() => to.write(chunk), proxy.delayMs);
      else to.write(chunk);
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => to.destroy());
  };
  const server = createServer((client) => {
    if (proxy.mode === 'cut') return void client.resetAndDestroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  const proxy: FaultProxy = {
    port: await listen(server),
    mode: 'pass',
    delayMs: 0,
    set(mode, delayMs = 0) {
      proxy.mode = mode;
      proxy.delayMs = delayMs;
      if (mode === 'cut') for (const socket of open) socket.resetAndDestroy();
      if (mode !== 'stall') for (const { to, chunk } of held.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

export interface ThrottlingProxy {
  endpoint: string;
  throttle: boolean;
  /** Requests answered 429 so far. */
  throttled: number;
  stop(): Promise<void>;
}

/** An HTTP proxy to the Cosmos stand-in that, while `throttle` is on, answers every request 429. */
export async function startThrottlingProxy(targetPort: number, retryAfterMs = 200): Promise<ThrottlingProxy> {
  const server = createHttpServer((req, res) => {
    if (state.throttle) {
      state.throttled += 1;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': String(retryAfterMs), 'x-ms-substatus': '3200' });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large.' }));
      return;
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const port = await listen(server);
  const state: ThrottlingProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    throttle: false,
    throttled: 0,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}
