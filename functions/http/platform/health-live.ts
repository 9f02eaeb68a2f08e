import type { HttpResponseInit } from '@azure/functions';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import { APP_NAME, APP_VERSION } from '../../platform/version.js';
import { liveness } from './contract.js';

/** GET /api/health/live: the process answers; no dependency is called, so an outage cannot get it restarted. */
export async function healthLive(): Promise<HttpResponseInit> {
  return json(200, { service: APP_NAME, status: 'ok', version: APP_VERSION, timestamp: new Date().toISOString() });
}

httpFunction('healthLive', {
  route: 'health/live',
  tag: 'platform',
  handler: healthLive,
  operations: {
    GET: {
      summary: 'Liveness: the process answers (no dependency calls)',
      auth: 'public',
      responses: { 200: { description: 'Alive.', body: liveness } },
      problems: [],
    },
  },
});
