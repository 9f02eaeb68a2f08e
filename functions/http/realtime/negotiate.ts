import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { negotiate as open } from '../../core/realtime/realtime.js';
import { authenticate } from '../../platform/auth.js';
import { json } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';

export const negotiated = z
  .object({
    url: z.string().meta({ description: 'The WebSocket URL to open, token included.' }),
    accessToken: z.string().meta({ description: 'The same token, for clients that send it as a header.' }),
    expiresIn: z.number().int().meta({ description: 'Seconds the token can be used to connect.' }),
  })
  .meta({ id: 'RealtimeNegotiation' });

/** POST /api/realtime/negotiate: any signed-in caller gets a WebSocket URL bound to their own user id. */
export async function negotiate(request: HttpRequest, services: Pick<Services, 'realtime' | 'accounts' | 'onAuthenticated'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await open(services.realtime.deps, caller));
}

httpFunction('realtimeNegotiate', {
  route: 'realtime/negotiate',
  tag: 'realtime',
  handler: negotiate,
  operations: {
    POST: {
      summary: 'Get a WebSocket connection to the realtime hub',
      description:
        'Send {"action":"subscribe","topic":"game_updates"} (or "presence:{userId}") on the socket; your own "user:{id}" channel is joined at once. Pushed messages are {topic, type, id, data}.',
      auth: 'bearer',
      responses: { 200: { description: 'Where and how to connect.', body: negotiated } },
      problems: [401, 503],
    },
  },
});
