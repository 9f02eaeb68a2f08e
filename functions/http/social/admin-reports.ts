import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { listReports } from '../../core/social/reports.js';
import { reportQueueQuery } from '../../core/social/schemas.js';
import { reportPage } from './contract.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

/** GET /api/admin/reports?status=open&limit=&cursor=: the moderation queue, newest first (admins). */
export async function adminReports(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'social'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const { status, ...page } = readQuery(request, reportQueueQuery);
  return json(200, await listReports(services.social, caller, status, page));
}

httpFunction('adminReports', {
  route: 'admin/reports',
  tag: 'social',
  handler: adminReports,
  operations: {
    GET: {
      summary: 'List reports (the moderation queue)',
      auth: 'bearer',
      query: reportQueueQuery,
      responses: { 200: { description: 'Newest first.', body: reportPage } },
      problems: [400, 401, 403, 503],
    },
  },
});
