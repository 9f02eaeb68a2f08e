import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { readMetrics } from '../../core/metrics/metrics.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { metricsView } from './contract.js';

/** GET /api/health/metrics: the operational counters, for admins and game servers. */
export async function healthMetrics(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'metrics'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await readMetrics(services.metrics, caller));
}

httpFunction('healthMetrics', {
  route: 'health/metrics',
  tag: 'platform',
  handler: healthMetrics,
  operations: {
    GET: {
      summary: 'Operational counters: logins, refreshes, activity buffer and sync, outbox, players online',
      description: 'Counts are cumulative across instances (one Redis hash); backlog, lag, outbox and online are read now.',
      auth: 'bearer',
      responses: { 200: { description: 'The counters.', body: metricsView } },
      problems: [401, 403, 503],
    },
  },
});
