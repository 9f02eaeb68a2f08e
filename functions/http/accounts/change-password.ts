import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { changePassword as change } from '../../core/accounts/accounts.js';
import { requirePlayer } from '../../core/kernel/caller.js';
import { changePasswordInput } from '../../core/accounts/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { clientIp, handle, readJson } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/** POST /api/me/password {currentPassword, newPassword}: every other session ends. */
export async function changePassword(request: HttpRequest, services: Services): Promise<HttpResponseInit> {
  const { accounts } = services;
  const caller = await authenticate(request, services);
  requirePlayer(caller);
  await change(accounts, caller, await readJson(request, changePasswordInput), clientIp(request));
  return { status: 204 };
}

app.http('changePassword', { route: 'api/me/password', methods: ['POST'], authLevel: 'anonymous', handler: handle(changePassword) });
