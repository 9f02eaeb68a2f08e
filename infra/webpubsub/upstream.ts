/**
 * Calls to the event handler as the service makes them: the abuse-protection OPTIONS handshake
 * once per URL, then CloudEvents in binary mode (`ce-*` headers, the payload as the body), signed
 * with HMAC-SHA256 of the connection id under the access key.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Connection } from './hub.js';

export type SystemEvent = 'connect' | 'connected' | 'disconnected';

export interface UpstreamAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface UpstreamOptions {
  /** URL template; `{hub}` and `{event}` are replaced (e.g. http://127.0.0.1:7071/api/realtime/upstream). */
  urlTemplate: string;
  accessKey: string;
  /** Sent as WebHook-Request-Origin (the service sends its host name). */
  origin: string;
  timeoutMs?: number;
}

export function signature(accessKey: string, connectionId: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId).digest('hex')}`;
}

export class Upstream {
  private readonly validated = new Set<string>();

  constructor(private readonly options: UpstreamOptions) {}

  private url(hub: string, event: string): string {
    return this.options.urlTemplate.replaceAll('{hub}', encodeURIComponent(hub)).replaceAll('{event}', encodeURIComponent(event));
  }

  /** The OPTIONS handshake: the handler must answer 2xx and allow our origin (or `*`). */
  private async validate(hub: string): Promise<void> {
    const url = this.url(hub, 'validate');
    if (this.validated.has(url)) return;
    const response = await fetch(url, {
      method: 'OPTIONS',
      headers: { 'WebHook-Request-Origin': this.options.origin, 'ce-awpsversion': '1.0' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
    });
    await response.arrayBuffer();
    const allowed = (response.headers.get('webhook-allowed-origin') ?? '').split(',').map((o) => o.trim());
    if (!response.ok || !(allowed.includes('*') || allowed.includes(this.options.origin))) {
      throw new Error(`event handler ${url} refused abuse protection: ${response.status}, WebHook-Allowed-Origin "${allowed.join(',')}"`);
    }
    this.validated.add(url);
  }

  /** Posts one event and returns the handler's answer; throws when the handler cannot be reached. */
  async call(
    connection: Pick<Connection, 'id' | 'hub' | 'userId' | 'subprotocol' | 'state'>,
    event: { type: 'sys'; name: SystemEvent } | { type: 'user'; name: string },
    body: Buffer,
    contentType: string,
  ): Promise<UpstreamAnswer> {
    await this.validate(connection.hub);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'ce-specversion': '1.0',
      'ce-awpsversion': '1.0',
      'ce-type': `azure.webpubsub.${event.type}.${event.name}`,
      'ce-source': `/hubs/${connection.hub}/client/${connection.id}`,
      'ce-id': randomUUID(),
      'ce-time': new Date().toISOString(),
      'ce-hub': connection.hub,
      'ce-connectionId': connection.id,
      'ce-eventName': event.name,
      'ce-signature': signature(this.options.accessKey, connection.id),
      'WebHook-Request-Origin': this.options.origin,
    };
    if (connection.userId !== null) headers['ce-userId'] = connection.userId;
    if (connection.subprotocol) headers['ce-subprotocol'] = connection.subprotocol;
    if (connection.state) headers['ce-connectionState'] = connection.state;
    const response = await fetch(this.url(connection.hub, event.name), {
      method: 'POST',
      headers,
      // A plain view: with the DOM typings (graphql-yoga's fetch types bring them) a Buffer is not a BodyInit.
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 20_000),
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }
}
