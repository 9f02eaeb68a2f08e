/**
 * The realtime gateway on Azure Web PubSub, through the official SDK: by managed identity in Azure,
 * by connection string against the local stand-in. One client per process.
 */
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import type { ClientAccess, RealtimeGateway } from '../../core/realtime/ports.js';
import { azureCredential } from '../identity.js';

export interface WebPubSubSettings {
  connectionString: string | undefined;
  endpoint: string | undefined;
  hub: string;
}

/** The AccessKey of a connection string, or undefined (none, or an identity-only endpoint). */
export function accessKeyOf(connectionString: string | undefined): string | undefined {
  return /(?:^|;)AccessKey=([^;]+)/i.exec(connectionString ?? '')?.[1];
}

export function createWebPubSubClient(settings: WebPubSubSettings, azureClientId: string | undefined): WebPubSubServiceClient | undefined {
  if (settings.connectionString) {
    // The stand-in speaks plain http on 127.0.0.1; the SDK refuses that unless told.
    const local = /Endpoint=http:\/\//i.test(settings.connectionString);
    return new WebPubSubServiceClient(settings.connectionString, settings.hub, { allowInsecureConnection: local });
  }
  if (settings.endpoint) return new WebPubSubServiceClient(settings.endpoint, azureCredential(azureClientId), settings.hub);
  return undefined;
}

export class WebPubSubGateway implements RealtimeGateway {
  constructor(private readonly client: WebPubSubServiceClient) {}

  async clientAccess(userId: string, minutes: number): Promise<ClientAccess> {
    const { url, token } = await this.client.getClientAccessToken({ userId, expirationTimeInMinutes: minutes });
    return { url, accessToken: token };
  }

  async join(connectionId: string, group: string): Promise<void> {
    await this.client.group(group).addConnection(connectionId);
  }

  async leave(connectionId: string, group: string): Promise<void> {
    await this.client.group(group).removeConnection(connectionId);
  }

  async publish(group: string, message: object): Promise<void> {
    await this.client.group(group).sendToAll(message as Record<string, unknown>);
  }

  async closeUser(userId: string, reason: string): Promise<void> {
    await this.client.closeUserConnections(userId, { reason });
  }
}
