/**
 * The realtime gateway on Azure Web PubSub, through the official SDK: by managed identity in Azure,
 * by connection string against the local stand-in. One client per process.
 */
import type { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { ClientAccess, RealtimeGateway } from '../../core/realtime/ports.js';
import { azureCredential } from '../identity.js';
import { once } from '../../core/kernel/once.js';

export interface WebPubSubSettings {
  connectionString: string | undefined;
  endpoint: string | undefined;
  hub: string;
}

/** The AccessKey of a connection string, or undefined (none, or an identity-only endpoint). */
export function accessKeyOf(connectionString: string | undefined): string | undefined {
  return /(?:^|;)AccessKey=([^;]+)/i.exec(connectionString ?? '')?.[1];
}

/** The process's client, made (and the SDK imported) on first use. */
export type WebPubSubClient = () => Promise<WebPubSubServiceClient>;

/** The client when Web PubSub is configured, else undefined; nothing is loaded until it is first used. */
export function createWebPubSubClient(settings: WebPubSubSettings, azureClientId: string | undefined): WebPubSubClient | undefined {
  const { connectionString, endpoint, hub } = settings;
  if (!connectionString && !endpoint) return undefined;
  return once(async () => {
    const { WebPubSubServiceClient } = await import('@azure/web-pubsub');
    if (connectionString) {
      // The stand-in speaks plain http on 127.0.0.1; the SDK refuses that unless told.
      const local = /Endpoint=http:\/\//i.test(connectionString);
      return new WebPubSubServiceClient(connectionString, hub, { allowInsecureConnection: local });
    }
    return new WebPubSubServiceClient(endpoint as string, await azureCredential(azureClientId), hub);
  });
}

export class WebPubSubGateway implements RealtimeGateway {
  constructor(private readonly client: WebPubSubClient) {}

  async clientAccess(userId: string, minutes: number): Promise<ClientAccess> {
    const { url, token } = await (await this.client()).getClientAccessToken({ userId, expirationTimeInMinutes: minutes });
    return { url, accessToken: token };
  }

  async join(connectionId: string, group: string): Promise<void> {
    await (await this.client()).group(group).addConnection(connectionId);
  }

  async leave(connectionId: string, group: string): Promise<void> {
    await (await this.client()).group(group).removeConnection(connectionId);
  }

  async publish(group: string, message: object): Promise<void> {
    await (await this.client()).group(group).sendToAll(message as Record<string, unknown>);
  }

  async closeUser(userId: string, reason: string): Promise<void> {
    await (await this.client()).closeUserConnections(userId, { reason });
  }
}
