import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { acceptConnection, authenticateUpstream, handleClientMessage } from '../../core/realtime/realtime.js';
import { handle } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

/**
 * POST /api/realtime/upstream: the Web PubSub hub's event handler (CloudEvents in binary mode:
 * ce-* headers, the payload as the body). OPTIONS is the service's abuse-protection handshake.
 * Not in the OpenAPI document: only the hub calls it, and every call must prove it is the hub.
 */
export async function realtimeUpstream(request: HttpRequest, services: Pick<Services, 'realtime'>): Promise<HttpResponseInit> {
  const { deps, upstream } = services.realtime;
  if (request.method === 'OPTIONS') {
    const origin = request.headers.get('webhook-request-origin') ?? '';
    if (!upstream.allowsOrigin(origin)) return { status: 400 };
    return { status: 200, headers: { 'WebHook-Allowed-Origin': origin } };
  }
  const connectionId = request.headers.get('ce-connectionid');
  await authenticateUpstream(upstream, {
    connectionId,
    signature: request.headers.get('ce-signature'),
    authorization: request.headers.get('authorization'),
  });
  const type = request.headers.get('ce-type') ?? '';
  const userId = request.headers.get('ce-userid') ?? undefined;
  if (type === 'azure.webpubsub.sys.connect') {
    return { status: 200, jsonBody: await acceptConnection(deps, userId) };
  }
  if (type === 'azure.webpubsub.user.message' && connectionId && userId) {
    const reply = await handleClientMessage(deps, { connectionId, userId }, await request.text());
    return { status: 200, jsonBody: reply };
  }
  // connected, disconnected and other user events: nothing to do (a silent socket goes offline by the sweep).
  return { status: 204 };
}

app.http('realtimeUpstream', { route: 'api/realtime/upstream', methods: ['POST', 'OPTIONS'], authLevel: 'anonymous', handler: handle(realtimeUpstream) });
