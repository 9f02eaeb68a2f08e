import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { fileReport } from '../../core/social/reports.js';
import { reportInput } from '../../core/social/schemas.js';
import { filedReport } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** POST /api/users/{id}/reports {category, details?}: report a player to the admins. */
export async function reportUser(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, reportInput);
  return json(201, await fileReport(services.social, caller, routeParam(request, 'id'), input));
}

httpFunction('reportUser', {
  route: 'users/{id}/reports',
  tag: 'social',
  handler: reportUser,
  operations: {
    POST: {
      summary: 'Report a player',
      description: 'Throttled per reporter (REPORT_LIMIT); one open report per reporter and player (409 while it is open).',
      auth: 'bearer',
      body: reportInput,
      responses: { 201: { description: 'Filed.', body: filedReport } },
      problems: [400, 401, 403, 404, 409, 413, 415, 429, 503],
    },
  },
});
