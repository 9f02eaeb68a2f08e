import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { runHealthChecks } from '../../platform/health-checks.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { APP_NAME, APP_VERSION } from '../../platform/version.js';
import { healthReport } from './contract.js';

/**
 * GET /api/health: 200 when every dependency answers, 503 naming the ones that do not. It is public,
 * so a failure says which check and not why (a driver's message can name hosts and addresses); the
 * reason goes to the log.
 */
export async function health(_request: HttpRequest, services: Pick<Services, 'healthChecks'>, context: InvocationContext): Promise<HttpResponseInit> {
  const report = await runHealthChecks(services.healthChecks, context);
  return json(report.healthy ? 200 : 503, {
    service: APP_NAME,
    status: report.healthy ? 'ok' : 'unavailable',
    timestamp: new Date().toISOString(),
    version: APP_VERSION,
    checks: report.checks,
  });
}

httpFunction('health', {
  route: 'health',
  tag: 'platform',
  handler: health,
  operations: {
    GET: {
      summary: 'Whether every dependency answers (Cosmos, Redis, Service Bus)',
      auth: 'public',
      responses: {
        200: { description: 'Every check passed.', body: healthReport },
        503: { description: 'Some check failed: the report names it (the reason goes to the log).', body: healthReport },
      },
      problems: [],
    },
  },
});
