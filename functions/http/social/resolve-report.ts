import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { resolveReport as resolve } from '../../core/social/reports.js';
import { resolveInput } from '../../core/social/schemas.js';
import { resolvedReport } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/admin/reports/{id}/resolve {action, note, until?}: suspend and ban end the player's sessions at once. */
export async function resolveReport(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, resolveInput);
  return json(200, await resolve(services.social, caller, routeParam(request, 'id'), input));
}

httpFunction('resolveReport', {
  route: 'admin/reports/{id}/resolve',
  tag: 'social',
  handler: resolveReport,
  operations: {
    POST: {
      summary: 'Resolve a report',
      description: 'dismiss, warn, suspend (until, optional) or ban; suspend and ban set the account status, which ends every session and token of the player at once.',
      auth: 'bearer',
      body: resolveInput,
      responses: { 200: { description: 'The resolved report and, for suspend and ban, the account.', body: resolvedReport } },
      problems: [400, 401, 403, 404, 409, 413, 415, 503],
    },
  },
});
