/**
 * The data-plane REST API under /api/hubs/{hub}, as WebPubSubServiceClient (@azure/web-pubsub)
 * calls it: sends, group and user membership, closing, exists checks, permissions, tokens.
 * OData `filter`s are refused (400) rather than ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyAccessToken, signClientToken } from './auth.js';
import { closeConnection, dataTypeOf, deliver, type Connection, type Hubs } from './hub.js';

export interface RestContext {
  hubs: Hubs;
  accessKey: string;
  /** http://host:port, for the client endpoint URL that `:generateToken` tokens name. */
  endpoint: string;
}

class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const PERMISSIONS: Record<string, string> = { sendToGroup: 'webpubsub.sendToGroup', joinLeaveGroup: 'webpubsub.joinLeaveGroup' };

export async function handleRest(req: IncomingMessage, res: ServerResponse, context: RestContext): Promise<void> {
  const requestUrl = `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`;
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token || !(await verifyAccessToken(token, context.accessKey, requestUrl))) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    answer(res, 401, { code: 'Unauthorized', message: 'The access token is missing, expired or not for this URL.' });
    return;
  }
  try {
    const url = new URL(requestUrl);
    const segments = url.pathname.split('/').slice(3).map(decodeURIComponent); // after /api/hubs
    const [hub, ...rest] = segments;
    if (!hub) throw new RestError(404, 'NotFound', 'No hub in the path.');
    const body = await readBody(req);
    const status = await route(req.method ?? 'GET', hub, rest, url.searchParams, req, body, context, res);
    if (status !== null) answer(res, status);
  } catch (error) {
    if (error instanceof RestError) answer(res, error.status, { code: error.code, message: error.message });
    else answer(res, 500, { code: 'InternalError', message: error instanceof Error ? error.message : String(error) });
  }
}

/** Answers one request; returns the status to send with no body, or null when it answered itself. */
async function route(
  method: string,
  hub: string,
  path: string[],
  query: URLSearchParams,
  req: IncomingMessage,
  body: Buffer,
  { hubs, accessKey, endpoint }: RestContext,
  res: ServerResponse,
): Promise<number | null> {
  if (query.has('filter')) throw new RestError(400, 'NotSupported', 'The stand-in does not evaluate OData filters.');
  const excluded = new Set(query.getAll('excluded'));
  const send = (targets: Connection[]) => {
    deliver(
      targets.filter((c) => !excluded.has(c.id)),
      { data: body, dataType: dataTypeOf(req.headers['content-type']) },
    );
    return 202;
  };
  const close = (targets: Connection[]) => {
    for (const c of targets) if (!excluded.has(c.id)) closeConnection(c, query.get('reason') ?? '');
    return 204;
  };
  const connection = (id: string) => {
    const found = hubs.find(hub, id);
    if (!found) throw new RestError(404, 'NotFound', `Connection ${id} does not exist.`);
    return found;
  };
  const [, second, , fourth] = path;
  // Names sit at odd positions (groups/{g}/connections/{c}); operations start with ':'.
  const shape = path.map((s, i) => (i % 2 === 1 && !s.startsWith(':') ? '*' : s)).join('/');
  const operation = `${method} ${shape}`;

  switch (operation) {
    case 'POST :send':
      return send(hubs.inHub(hub));
    case 'POST :closeConnections':
      return close(hubs.inHub(hub));
    case 'POST :addToGroups':
    case 'POST :removeFromGroups':
      throw new RestError(400, 'NotSupported', 'The stand-in does not evaluate OData filters.');
    case 'POST :generateToken': {
      const token = await signClientToken(accessKey, `${endpoint}/client/hubs/${hub}`, {
        userId: query.get('userId') ?? undefined,
        roles: query.getAll('role'),
        groups: query.getAll('group'),
        minutesToExpire: Number(query.get('minutesToExpire') ?? 60),
      });
      answer(res, 200, { token });
      return null;
    }
    case 'HEAD groups/*':
      return hubs.groupExists(hub, second!) ? 200 : 404;
    case 'POST groups/*/:send':
      return send(hubs.inGroup(hub, second!));
    case 'POST groups/*/:closeConnections':
      return close(hubs.inGroup(hub, second!));
    case 'PUT groups/*/connections/*':
      hubs.join(connection(fourth!), second!);
      return 200;
    case 'DELETE groups/*/connections/*':
      hubs.leave(connection(fourth!), second!);
      return 204;
    case 'HEAD users/*':
      return hubs.userExists(hub, second!) ? 200 : 404;
    case 'POST users/*/:send':
      return send(hubs.ofUser(hub, second!));
    case 'POST users/*/:closeConnections':
      return close(hubs.ofUser(hub, second!));
    case 'PUT users/*/groups/*':
      hubs.addUserToGroup(hub, second!, fourth!);
      return 200;
    case 'DELETE users/*/groups/*':
      hubs.removeUserFromGroup(hub, second!, fourth!);
      return 204;
    case 'DELETE users/*/groups':
      hubs.removeUserFromAllGroups(hub, second!);
      return 204;
    case 'HEAD connections/*':
      return hubs.find(hub, second!) ? 200 : 404;
    case 'DELETE connections/*':
      return close(hubs.inHub(hub).filter((c) => c.id === second));
    case 'POST connections/*/:send':
      return send(hubs.inHub(hub).filter((c) => c.id === second));
    case 'DELETE connections/*/groups': {
      const found = hubs.find(hub, second!);
      if (found) for (const group of [...found.groups]) hubs.leave(found, group);
      return 204;
    }
    case 'PUT permissions/*/connections/*':
    case 'DELETE permissions/*/connections/*':
    case 'HEAD permissions/*/connections/*': {
      const role = PERMISSIONS[second!];
      if (!role) throw new RestError(400, 'BadRequest', `Unknown permission ${second}.`);
      const target = query.get('targetName');
      const name = target ? `${role}.${target}` : role;
      const found = connection(fourth!);
      if (method === 'HEAD') return found.roles.has(name) || (target !== null && found.roles.has(role)) ? 200 : 404;
      if (method === 'PUT') found.roles.add(name);
      else found.roles.delete(name);
      return method === 'PUT' ? 200 : 204;
    }
    default:
      throw new RestError(404, 'NotFound', `No such operation: ${method} /api/hubs/${hub}/${path.join('/')}`);
  }
}
