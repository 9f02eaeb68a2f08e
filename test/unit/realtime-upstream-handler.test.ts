/** The upstream trigger with a recording gateway and the real signature check: CloudEvent headers in, answers out. */
import { createHmac } from 'node:crypto';
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { WebPubSubUpstreamAuthenticator } from '../../functions/adapters/webpubsub/upstream-auth.js';
import type { RealtimeGateway } from '../../functions/core/realtime/ports.js';
import { staffVisibility } from '../../functions/core/realtime/realtime.js';
import { realtimeUpstream } from '../../functions/http/realtime/upstream.js';
import { FakeUsers } from '../support/fakes.js';

const KEY = 'stand-in-key';
const joined: string[] = [];
const gateway: RealtimeGateway = {
  clientAccess: async () => ({ url: 'ws://x', accessToken: 't' }),
  join: async (c, g) => void joined.push(`${c} ${g}`),
  leave: async () => undefined,
  publish: async () => undefined,
  closeUser: async () => undefined,
};
const users = new FakeUsers();
const services = {
  realtime: {
    deps: { gateway, visibility: staffVisibility(users), users, tokenMinutes: 60, sighted: async () => undefined },
    upstream: new WebPubSubUpstreamAuthenticator({ accessKey: KEY, entra: undefined, origins: ['127.0.0.1'] }),
  },
};

function event(type: string, body: string, headers: Record<string, string> = {}): HttpRequest {
  const connectionId = headers['ce-connectionId'] ?? 'conn-1';
  return new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/realtime/upstream',
    body: { string: body },
    headers: {
      'content-type': 'text/plain',
      'ce-type': type,
      'ce-connectionId': connectionId,
      'ce-userId': 'client:gs',
      'ce-signature': `sha256=${createHmac('sha256', KEY).update(connectionId).digest('hex')}`,
      ...headers,
    },
  });
}

describe('realtime upstream handler', () => {
  it('answers abuse protection for the hub\'s host only', async () => {
    const ok = await realtimeUpstream(new HttpRequest({ method: 'OPTIONS', url: 'http://localhost/api/realtime/upstream', headers: { 'WebHook-Request-Origin': '127.0.0.1' } }), services);
    expect(ok).toMatchObject({ status: 200, headers: { 'WebHook-Allowed-Origin': '127.0.0.1' } });
    const other = await realtimeUpstream(new HttpRequest({ method: 'OPTIONS', url: 'http://localhost/api/realtime/upstream', headers: { 'WebHook-Request-Origin': 'evil.example.com' } }), services);
    expect(other.status).toBe(400);
  });

  it('accepts a signed connect into the user channel and answers a subscribe frame', async () => {
    expect(await realtimeUpstream(event('azure.webpubsub.sys.connect', '{}'), services)).toMatchObject({ status: 200, jsonBody: { userId: 'client:gs', groups: ['user.client:gs'] } });
    const reply = await realtimeUpstream(event('azure.webpubsub.user.message', '{"action":"subscribe","topic":"game_updates"}'), services);
    expect(reply).toMatchObject({ status: 200, jsonBody: { message: 'Subscribed to game_updates' } });
    expect(joined).toContain('conn-1 game_updates');
    expect((await realtimeUpstream(event('azure.webpubsub.sys.disconnected', '{"reason":""}'), services)).status).toBe(204);
  });

  it('refuses an event whose signature is for another connection', async () => {
    const forged = event('azure.webpubsub.sys.connect', '{}', { 'ce-signature': `sha256=${createHmac('sha256', KEY).update('conn-2').digest('hex')}` });
    await expect(realtimeUpstream(forged, services)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
