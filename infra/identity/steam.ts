/**
 * A local stand-in for the Steam Web API's ISteamUserAuth/AuthenticateUserTicket/v1, the call a
 * backend makes to turn a client's GetAuthTicketForWebApi ticket into a SteamID. It checks the
 * publisher key and app id it was started with; tests mint tickets (POST /mint or mintTicket()).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STEAM_AUTHENTICATE_PATH = '/ISteamUserAuth/AuthenticateUserTicket/v1/';

export interface SteamTicketOptions {
  /** The identity string given to GetAuthTicketForWebApi; when set, the call must name it too. */
  identity?: string;
  /** Differs from steamId under Family Sharing. */
  ownerSteamId?: string;
  /** The app the ticket was made for (default: the stand-in's). */
  appId?: number;
  vacBanned?: boolean;
  publisherBanned?: boolean;
}

interface Ticket extends SteamTicketOptions {
  steamId: string;
}

export interface SteamStandIn {
  /** http://127.0.0.1:PORT, where https://partner.steam-api.com would be. */
  url: string;
  publisherKey: string;
  appId: number;
  /** A hex ticket that authenticates as steamId (a 17-digit SteamID64 string). */
  mintTicket(steamId: string, options?: SteamTicketOptions): string;
  /** Forgets a ticket, as CancelAuthTicket does. */
  cancelTicket(ticket: string): void;
  /** Requests to AuthenticateUserTicket, in order (query parameters, key included, and the status). */
  requests: { query: Record<string, string>; status: number }[];
  stop(): Promise<void>;
}

const STEAM_ID = /^\d{17}$/;

/** Steam's own page for a refused key: HTML, not JSON. */
const FORBIDDEN_HTML =
  '<html><head><title>Forbidden</title></head><body><h1>Forbidden</h1>Access is denied. Retrying will not help. Please verify your <pre>key=</pre> parameter.</body></html>';

export async function startSteamStandIn(options: { publisherKey?: string; appId?: number; port?: number } = {}): Promise<SteamStandIn> {
  const publisherKey = options.publisherKey ?? randomBytes(16).toString('hex').toUpperCase();
  const appId = options.appId ?? 480;
  const tickets = new Map<string, Ticket>();
  const requests: SteamStandIn['requests'] = [];

  const json = (res: ServerResponse, body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
  const html = (res: ServerResponse, status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/html; charset=UTF-8' }).end(body);
  const steamError = (res: ServerResponse, errorcode: number, errordesc: string) => json(res, { response: { error: { errorcode, errordesc } } });

  function mintTicket(steamId: string, ticketOptions: SteamTicketOptions = {}): string {
    if (!STEAM_ID.test(steamId)) throw new Error('steamId must be a 17-digit SteamID64');
    // Real tickets are a few hundred hex characters of opaque bytes.
    const ticket = randomBytes(120).toString('hex').toUpperCase();
    tickets.set(ticket, { steamId, ...ticketOptions });
    return ticket;
  }

  function authenticate(res: ServerResponse, query: URLSearchParams, headerKey: string | undefined): void {
    const key = query.get('key') ?? headerKey;
    if (key !== publisherKey) return html(res, 403, FORBIDDEN_HTML);
    for (const name of ['appid', 'ticket']) {
      if (!query.get(name)) {
        return html(res, 400, `<html><head><title>Bad Request</title></head><body><h1>Bad Request</h1>Required parameter '${name}' is missing</body></html>`);
      }
    }
    // A publisher key works only for its publisher group's apps.
    if (query.get('appid') !== String(appId)) return html(res, 403, FORBIDDEN_HTML);
    const hex = query.get('ticket') ?? '';
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) return steamError(res, 3, 'Invalid parameter');
    const ticket = tickets.get(hex.toUpperCase());
    const identity = query.get('identity') ?? undefined;
    if (!ticket || (ticket.appId ?? appId) !== appId || ticket.identity !== identity) return steamError(res, 101, 'Invalid ticket');
    json(res, {
      response: {
        params: {
          result: 'OK',
          steamid: ticket.steamId,
          ownersteamid: ticket.ownerSteamId ?? ticket.steamId,
          vacbanned: ticket.vacBanned ?? false,
          publisherbanned: ticket.publisherBanned ?? false,
        },
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    // Steam answers the method's path with or without the trailing slash.
    if (method === 'GET' && url.pathname.replace(/\/?$/, '/') === STEAM_AUTHENTICATE_PATH) {
      const record = { query: Object.fromEntries(url.searchParams), status: 0 };
      requests.push(record);
      res.once('finish', () => (record.status = res.statusCode));
      const headerKey = req.headers['x-webapi-key'];
      return authenticate(res, url.searchParams, typeof headerKey === 'string' ? headerKey : undefined);
    }
    if (method === 'POST' && url.pathname === '/mint') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { steamId?: unknown } & SteamTicketOptions;
      const { steamId, ...rest } = body;
      if (typeof steamId !== 'string' || !STEAM_ID.test(steamId)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'steamId must be a 17-digit SteamID64 string' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket: mintTicket(steamId, rest) }));
      return;
    }
    html(res, 404, '<html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) html(res, error instanceof SyntaxError ? 400 : 500, `<html><body>${error instanceof SyntaxError ? 'Bad Request' : 'Internal Server Error'}</body></html>`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    publisherKey,
    appId,
    mintTicket,
    cancelTicket: (ticket) => void tickets.delete(ticket.toUpperCase()),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
