import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handle, json } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';
import { APP_NAME, APP_VERSION } from '../../platform/version.js';

type CheckResult = { status: 'ok'; latencyMs: number } | { status: 'failed'; error: string };

/**
 * GET /api/health: 200 when every dependency answers, 503 naming the ones that do not. It is public,
 * so a failure says which check and not why (a driver's message can name hosts and addresses); the
 * reason goes to the log.
 */
export async function health(_request: HttpRequest, services: Pick<Services, 'healthChecks'>, context: InvocationContext): Promise<HttpResponseInit> {
  const { healthChecks } = services;
  const results = await Promise.all(
    healthChecks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        await check();
        return [name, { status: 'ok', latencyMs: Math.round(performance.now() - started) }];
      } catch (error) {
        context.warn(`health: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        return [name, { status: 'failed', error: 'did not answer' }];
      }
    }),
  );
  const healthy = results.every(([, result]) => result.status === 'ok');
  return json(healthy ? 200 : 503, {
    service: APP_NAME,
    status: healthy ? 'ok' : 'unavailable',
    timestamp: new Date().toISOString(),
    version: APP_VERSION,
    checks: Object.fromEntries(results),
  });
}

app.http('health', { route: 'api/health', methods: ['GET'], authLevel: 'anonymous', handler: handle(health) });
