import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { requirePlayer } from '../../core/kernel/caller.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { listSessions as list } from '../../core/sessions/sessions.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json, readQuery } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me/sessions?limit=&cursor=: the caller's live sessions, most recently used first. */
export async function listSessions(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  const page = readQuery(request, pageQuery);
  return json(200, await list(accounts, requirePlayer(caller), caller.sessionId, page));
}

app.http('listSessions', { route: 'api/me/sessions', methods: ['GET'], authLevel: 'anonymous', handler: handle(listSessions) });
