/**
 * A local stand-in for Azure Communication Services Email, enough for the official EmailClient
 * (@azure/communication-email): POST /emails:send, then the operation the SDK's poller reads, with
 * the HMAC-SHA256 access-key signature checked (and, over HTTPS, one bearer token). Sent mails are
 * kept in memory and listed at GET /mailbox. Tests make sends fail (the next N, or one address for
 * good), drop an address as suppressed, or stop and restart the server on the same port.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export const EMAIL_API_VERSION = '2025-09-01';
/** ACS refuses requests whose x-ms-date is too far off; the stand-in allows 15 minutes. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface SentEmail {
  id: string;
  /** senderAddress of the request. */
  from: string;
  /** Recipient addresses joined with ", ", as a mail header shows them ("" when none). */
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  text: string;
  html: string;
  /** ISO-8601 time the send was accepted. */
  sentAt: string;
  headers: Record<string, string>;
}

/** How an injected failure answers: an HTTP status with the service's error body. */
export interface InjectedFailure {
  status: number;
  code?: string;
  message?: string;
}

export interface EmailStandInOptions {
  port?: number;
  /** Base64 access key of the connection string; made up per run when absent. */
  accessKey?: string;
  /** Serve HTTPS with this certificate (the SDK sends bearer tokens only over TLS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** A bearer token accepted in place of the HMAC signature (HTTPS only, as for the SDK). */
  bearerToken?: string;
  /** Polls answered "Running" before an operation ends (default 1: the poller does one round trip). */
  runningPolls?: number;
}

export interface EmailStandIn {
  /** http://127.0.0.1:PORT/ (https with tls). */
  endpoint: string;
  port: number;
  accessKey: string;
  /** endpoint=...;accesskey=... as the EmailClient takes it. */
  connectionString: string;
  /** Mails accepted, oldest first; with an address, only those it was sent to (to, cc or bcc). */
  mails(address?: string): SentEmail[];
  clearMails(): void;
  /** The next `count` sends (after authentication) answer this failure, default 503 ServiceUnavailable. */
  failNextSends(count: number, failure?: Partial<InjectedFailure>): void;
  /** Every send with this recipient answers this failure (default 400 BadRequest) until clearFailures(). */
  rejectRecipient(address: string, failure?: Partial<InjectedFailure>): void;
  /** Sends to this address are accepted, then the operation fails EmailDroppedAllRecipientsSuppressed. */
  suppressRecipient(address: string): void;
  clearFailures(): void;
  /** Send requests that reached the stand-in with valid auth, failed ones included. */
  sendAttempts(): number;
  /** Stops listening; mails and operations are kept, so start() resumes on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

interface Operation {
  id: string;
  pollsLeft: number;
  error: { code: string; message: string } | undefined;
}

interface SendBody {
  senderAddress?: unknown;
  content?: { subject?: unknown; plainText?: unknown; html?: unknown };
  recipients?: { to?: unknown; cc?: unknown; bcc?: unknown };
  headers?: unknown;
}

function addressesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((r) => (r as { address?: unknown } | null)?.address).filter((a): a is string => typeof a === 'string');
}

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why the request's authentication fails, or null when it is good. */
function authProblem(req: IncomingMessage, body: Buffer, key: Buffer, bearerToken: string | undefined): string | null {
  const authorization = req.headers.authorization ?? '';
  if (authorization.startsWith('Bearer ')) {
    return bearerToken !== undefined && sameBytes(authorization.slice(7), bearerToken) ? null : 'the bearer token is not accepted';
  }
  const match = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(authorization);
  if (!match) return 'no HMAC-SHA256 or Bearer authorization';
  if (match[1] !== 'x-ms-date;host;x-ms-content-sha256') return `unexpected SignedHeaders ${match[1]}`;
  const date = String(req.headers['x-ms-date'] ?? '');
  const host = String(req.headers.host ?? '');
  const contentHash = String(req.headers['x-ms-content-sha256'] ?? '');
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt) || Math.abs(Date.now() - sentAt) > MAX_CLOCK_SKEW_MS) return 'x-ms-date is missing or too far off';
  if (contentHash !== createHash('sha256').update(body).digest('base64')) return 'x-ms-content-sha256 does not match the body';
  // The SDK signs the path with the query re-serialised by URLSearchParams.
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const query = url.searchParams.toString();
  const stringToSign = `${req.method ?? ''}\n${url.pathname}${query ? `?${query}` : ''}\n${date};${host};${contentHash}`;
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('base64');
  return sameBytes(match[2] ?? '', expected) ? null : 'the signature does not match';
}

export async function startEmailStandIn(options: EmailStandInOptions = {}): Promise<EmailStandIn> {
  const accessKey = options.accessKey ?? randomBytes(32).toString('base64');
  const key = Buffer.from(accessKey, 'base64');
  const runningPolls = options.runningPolls ?? 1;
  const mails: SentEmail[] = [];
  const operations = new Map<string, Operation>();
  const rejected = new Map<string, InjectedFailure>();
  const suppressed = new Set<string>();
  let failNext: { count: number; failure: InjectedFailure } = { count: 0, failure: { status: 503 } };
  let attempts = 0;
  let port = options.port ?? 0;
  const scheme = options.tls ? 'https' : 'http';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': randomUUID(), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const serviceError = (res: ServerResponse, failure: InjectedFailure) =>
    send(res, failure.status, { error: { code: failure.code ?? 'BadRequest', message: failure.message ?? 'The stand-in was told to fail.' } }, { 'x-ms-error-code': failure.code ?? 'BadRequest' });

  function acceptSend(req: IncomingMessage, res: ServerResponse, body: SendBody): void {
    attempts++;
    if (failNext.count > 0) {
      failNext.count--;
      return serviceError(res, failNext.failure);
    }
    const to = addressesOf(body.recipients?.to);
    const cc = addressesOf(body.recipients?.cc);
    const bcc = addressesOf(body.recipients?.bcc);
    const all = [...to, ...cc, ...bcc];
    if (typeof body.senderAddress !== 'string' || typeof body.content?.subject !== 'string' || all.length === 0) {
      return serviceError(res, { status: 400, code: 'BadRequest', message: 'senderAddress, content.subject and at least one recipient are required.' });
    }
    const refused = all.map((a) => rejected.get(a.toLowerCase())).find((f) => f !== undefined);
    if (refused) return serviceError(res, refused);

    const id = String(req.headers['operation-id'] ?? randomUUID());
    const dropped = all.every((a) => suppressed.has(a.toLowerCase()));
    const error = dropped ? { code: 'EmailDroppedAllRecipientsSuppressed', message: 'Message was dropped because all recipients were suppressed.' } : undefined;
    operations.set(id, { id, pollsLeft: runningPolls, error });
    if (!dropped) {
      const headers = typeof body.headers === 'object' && body.headers !== null ? (body.headers as Record<string, string>) : {};
      mails.push({
        id,
        from: body.senderAddress,
        to: to.join(', '),
        cc: cc.join(', '),
        bcc: bcc.join(', '),
        subject: body.content.subject,
        text: typeof body.content.plainText === 'string' ? body.content.plainText : '',
        html: typeof body.content.html === 'string' ? body.content.html : '',
        sentAt: new Date().toISOString(),
        headers,
      });
    }
    const location = `${scheme}://${req.headers.host}/emails/operations/${encodeURIComponent(id)}?api-version=${EMAIL_API_VERSION}`;
    send(res, 202, { id, status: 'Running' }, { 'operation-location': location, 'retry-after': '0', ...(req.headers['operation-id'] ? { 'operation-id': id } : {}) });
  }

  function pollOperation(res: ServerResponse, id: string): void {
    const operation = operations.get(id);
    if (!operation) return serviceError(res, { status: 404, code: 'NotFound', message: `No operation ${id}.` });
    if (operation.pollsLeft > 0) {
      operation.pollsLeft--;
      return send(res, 200, { id, status: 'Running' }, { 'retry-after': '0' });
    }
    send(res, 200, operation.error ? { id, status: 'Failed', error: operation.error } : { id, status: 'Succeeded' });
  }

  /** The stand-in's own test surface: no auth, JSON in and out. */
  function serveTestApi(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): boolean {
    const method = req.method ?? 'GET';
    if (url.pathname === '/mailbox' && method === 'GET') {
      const items = [...standIn.mails(url.searchParams.get('to') ?? undefined)].reverse();
      send(res, 200, { items });
      return true;
    }
    if (url.pathname === '/mailbox' && method === 'DELETE') {
      standIn.clearMails();
      send(res, 204, undefined);
      return true;
    }
    if (url.pathname === '/failures' && method === 'POST') {
      const f = JSON.parse(body.toString('utf8') || '{}') as { failNextSends?: number; rejectRecipient?: string; suppressRecipient?: string } & Partial<InjectedFailure>;
      const failure = { ...(f.status !== undefined ? { status: f.status } : {}), ...(f.code ? { code: f.code } : {}), ...(f.message ? { message: f.message } : {}) };
      if (f.failNextSends !== undefined) standIn.failNextSends(f.failNextSends, failure);
      if (f.rejectRecipient) standIn.rejectRecipient(f.rejectRecipient, failure);
      if (f.suppressRecipient) standIn.suppressRecipient(f.suppressRecipient);
      send(res, 204, undefined);
      return true;
    }
    if (url.pathname === '/failures' && method === 'DELETE') {
      standIn.clearFailures();
      send(res, 204, undefined);
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (serveTestApi(req, res, url, body)) return;

    const problem = authProblem(req, body, key, options.tls ? options.bearerToken : undefined);
    if (problem) return serviceError(res, { status: 401, code: 'Denied', message: `Denied by the resource provider (stand-in: ${problem}).` });
    const operation = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/emails:send') {
      let parsed: SendBody;
      try {
        parsed = JSON.parse(body.toString('utf8')) as SendBody;
      } catch {
        return serviceError(res, { status: 400, code: 'BadRequest', message: 'The body is not JSON.' });
      }
      return acceptSend(req, res, parsed);
    }
    if (req.method === 'GET' && operation?.[1]) return pollOperation(res, decodeURIComponent(operation[1]));
    serviceError(res, { status: 404, code: 'NotFound', message: `No route ${req.method} ${url.pathname}.` });
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      const malformed = error instanceof SyntaxError;
      if (!res.headersSent) serviceError(res, { status: malformed ? 400 : 500, code: malformed ? 'BadRequest' : 'InternalError', message: String(error) });
      else res.destroy();
    });
  };
  let server: Server | undefined;
  const listen = async () => {
    const next = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createHttpServer(onRequest);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await listen();

  const endpoint = `${scheme}://127.0.0.1:${port}/`;
  const standIn: EmailStandIn = {
    endpoint,
    port,
    accessKey,
    connectionString: `endpoint=${endpoint};accesskey=${accessKey}`,
    mails: (address) => (address ? mails.filter((m) => [m.to, m.cc, m.bcc].join(', ').toLowerCase().split(', ').includes(address.toLowerCase())) : [...mails]),
    clearMails: () => void (mails.length = 0),
    failNextSends: (count, failure = {}) => {
      failNext = { count, failure: { status: 503, code: 'ServiceUnavailable', ...failure } };
    },
    rejectRecipient: (address, failure = {}) => void rejected.set(address.toLowerCase(), { status: 400, code: 'BadRequest', message: `The recipient ${address} is not accepted.`, ...failure }),
    suppressRecipient: (address) => void suppressed.add(address.toLowerCase()),
    clearFailures: () => {
      failNext = { count: 0, failure: { status: 503 } };
      rejected.clear();
      suppressed.clear();
    },
    sendAttempts: () => attempts,
    stop: async () => {
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve) => {
        current.close(() => resolve());
        current.closeAllConnections();
      });
    },
    start: async () => {
      if (!server) await listen();
    },
  };
  return standIn;
}
