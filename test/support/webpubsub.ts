/** Web PubSub test helpers: `ws` clients that queue what they receive, and a recording event handler. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

export interface Received {
  data: Buffer;
  isBinary: boolean;
  text: string;
}

export class TestSocket {
  private readonly received: Received[] = [];
  private readonly waiting: ((message: Received) => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const message = { data, isBinary, text: data.toString('utf8') };
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.received.push(message);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, protocol?: string): Promise<TestSocket> {
    const ws = new WebSocket(url, protocol ? [protocol] : []);
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** The next message, or a rejection after `timeoutMs`. */
  next(timeoutMs = 2_000): Promise<Received> {
    const ready = this.received.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new Error('no message within the time'));
      }, timeoutMs);
      const waiter = (message: Received) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiting.push(waiter);
    });
  }

  async nextJson(timeoutMs?: number): Promise<Record<string, unknown>> {
    return JSON.parse((await this.next(timeoutMs)).text) as Record<string, unknown>;
  }

  /** True when nothing arrives within `ms`. */
  async quiet(ms = 150): Promise<boolean> {
    return this.next(ms).then(
      () => false,
      () => true,
    );
  }

  send(data: string | Buffer | object): void {
    this.ws.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

export interface HandlerRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HandlerReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An event handler on a free port that records every request and answers with `reply`. */
export async function startEventHandler(reply: (request: HandlerRequest) => HandlerReply) {
  const requests: HandlerRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(request);
    const answer = reply(request);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Waits until a request matches (events that do not block arrive a little later). */
    async waitFor(match: (request: HandlerRequest) => boolean, timeoutMs = 2_000): Promise<HandlerRequest> {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
        const found = requests.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the event handler got no such request');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
