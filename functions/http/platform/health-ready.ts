import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { runHealthChecks } from '../../platform/health-checks.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { APP_NAME, APP_VERSION } from '../../platform/version.js';
import { readiness } from './contract.js';

/**
 * GET /api/health/ready: Cosmos, Redis, Service Bus and (when configured) Key Vault, each with its
 * latency; 503 naming the failed ones in `failed`, so a load balancer stops sending traffic here.
 */
export async function healthReady(_request: HttpRequest, services: Pick<Services, 'readinessChecks'>, context: InvocationContext): Promise<HttpResponseInit> {
  const report = await runHealthChecks(services.readinessChecks, context);
  return json(report.healthy ? 200 : 503, {
    service: APP_NAME,
    status: report.healthy ? 'ready' : 'unavailable',
    version: APP_VERSION,
    timestamp: new Date().toISOString(),
    failed: report.failed,
    checks: report.checks,
  });
}

httpFunction('healthReady', {
  route: 'health/ready',
  tag: 'platform',
  handler: healthReady,
  operations: {
    GET: {
      summary: 'Readiness: every dependency answers, with latencies',
      auth: 'public',
      responses: {
        200: { description: 'Ready.', body: readiness },
        503: { description: 'A dependency does not answer; `failed` names it.', body: readiness },
      },
      problems: [],
    },
  },
});
