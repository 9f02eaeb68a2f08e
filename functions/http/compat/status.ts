import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { runHealthChecks } from '../../platform/health-checks.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { APP_NAME } from '../../platform/version.js';
import { serviceStatus } from './contract.js';

/** GET /api/status: GET /api/health in the shape status pages poll; 500 (as such clients expect) naming the failed checks. */
export async function status(_request: HttpRequest, services: Pick<Services, 'healthChecks'>, context: InvocationContext): Promise<HttpResponseInit> {
  const report = await runHealthChecks(services.healthChecks, context);
  const timestamp = new Date().toISOString();
  if (report.healthy) return json(200, { service: APP_NAME, status: 'OK', timestamp });
  return json(500, { service: APP_NAME, status: 'ERROR', timestamp, details: `failed checks: ${report.failed.join(', ')}` });
}

httpFunction('compatStatus', {
  route: 'status',
  tag: 'compatibility',
  handler: status,
  operations: {
    GET: {
      summary: 'Service status (as GET /api/health)',
      auth: 'public',
      responses: {
        200: { description: 'Every dependency answers: status "OK".', body: serviceStatus },
        500: { description: 'A dependency does not answer: status "ERROR", details naming which.', body: serviceStatus },
      },
      problems: [],
    },
  },
});
