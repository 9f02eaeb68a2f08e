import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { getOwnAccount } from '../../core/accounts/accounts.js';
import { requirePlayer } from '../../core/kernel/caller.js';
import { authenticate } from '../../platform/auth.js';
import { handle, json } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** GET /api/me: the caller's own account, without secrets. */
export async function me(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const userId = requirePlayer(await authenticate(request, services));
  return json(200, await getOwnAccount(accounts, userId));
}

app.http('me', { route: 'api/me', methods: ['GET'], authLevel: 'anonymous', handler: handle(me) });
