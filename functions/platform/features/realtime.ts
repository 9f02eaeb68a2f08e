/** Realtime over Azure Web PubSub (the stand-in locally): settings, the gateway, upstream auth. */
import { z } from 'zod';
import { accessKeyOf, createWebPubSubClient, WebPubSubGateway } from '../../adapters/webpubsub/gateway.js';
import { entraUpstreamSettings, WebPubSubUpstreamAuthenticator } from '../../adapters/webpubsub/upstream-auth.js';
import type { UserRepository } from '../../core/accounts/ports.js';
import { DomainError } from '../../core/kernel/errors.js';
import { recordSightings, type PresenceDeps } from '../../core/presence/presence.js';
import type { RealtimeGateway, UpstreamAuthenticator } from '../../core/realtime/ports.js';
import type { PresenceVisibility } from '../../core/realtime/ports.js';
import { staffVisibility, type RealtimeDeps } from '../../core/realtime/realtime.js';
import { featureSettings, int } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const realtimeSettings = featureSettings({
  shape: {
    /** The stand-in's connection string (npm start sets it); never in Azure, where local auth is off. */
    WEBPUBSUB_CONNECTION_STRING: z.string().min(1).optional().describe('local-only'),
    /** https://NAME.webpubsub.azure.com: the service, reached with the managed identity. */
    WEBPUBSUB_ENDPOINT: z.url().optional().describe('azure-required'),
    WEBPUBSUB_HUB: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'must be a Web PubSub hub name').default('game'),
    /** Minutes a negotiated client token may be used to connect. */
    REALTIME_TOKEN_MINUTES: int(1, 1_440).default(60),
    /** The tenant whose tokens the hub's managed-identity upstream calls carry (Azure). */
    WEBPUBSUB_UPSTREAM_TENANT_ID: z.string().min(1).optional().describe('azure-required'),
    /** The audience the hub asks those tokens for: its event handler's managedIdentity.resource. */
    WEBPUBSUB_UPSTREAM_AUDIENCE: z.string().min(1).optional().describe('azure-required'),
  },
  read: (s) => ({
    realtime: {
      webPubSub: { connectionString: s.WEBPUBSUB_CONNECTION_STRING, endpoint: s.WEBPUBSUB_ENDPOINT, hub: s.WEBPUBSUB_HUB },
      tokenMinutes: s.REALTIME_TOKEN_MINUTES,
      upstream: { tenantId: s.WEBPUBSUB_UPSTREAM_TENANT_ID, audience: s.WEBPUBSUB_UPSTREAM_AUDIENCE },
    },
  }),
  problems(env) {
    const keyless = env['WEBPUBSUB_CONNECTION_STRING'] === undefined && env['WEBPUBSUB_ENDPOINT'] !== undefined;
    if (keyless && (env['WEBPUBSUB_UPSTREAM_TENANT_ID'] === undefined || env['WEBPUBSUB_UPSTREAM_AUDIENCE'] === undefined)) {
      return ['WEBPUBSUB_ENDPOINT without a connection string needs WEBPUBSUB_UPSTREAM_TENANT_ID and WEBPUBSUB_UPSTREAM_AUDIENCE to authenticate the hub\'s calls'];
    }
    return [];
  },
  secret: ['WEBPUBSUB_CONNECTION_STRING'],
});

export type RealtimeConfig = ReturnType<typeof realtimeSettings.read>;

export interface RealtimeServices {
  deps: RealtimeDeps;
  upstream: UpstreamAuthenticator;
}

function notConfigured(): never {
  throw new DomainError('NOT_CONFIGURED', 'Realtime is not configured (WEBPUBSUB_ENDPOINT or WEBPUBSUB_CONNECTION_STRING).');
}

const UNCONFIGURED: RealtimeGateway = { clientAccess: notConfigured, join: notConfigured, leave: notConfigured, publish: notConfigured, closeUser: notConfigured };

function hostOf(config: RealtimeConfig['realtime']['webPubSub']): string[] {
  const endpoint = config.endpoint ?? /Endpoint=([^;]+)/i.exec(config.connectionString ?? '')?.[1];
  return endpoint && URL.canParse(endpoint) ? [new URL(endpoint).hostname.toLowerCase()] : [];
}

export function wireRealtime(
  config: RealtimeConfig,
  infra: Infrastructure,
  presence: PresenceDeps,
  users: Pick<UserRepository, 'findById'>,
  /** Widens who may follow a player's presence beyond themself and staff (the social graph's rule). */
  widen?: (staff: PresenceVisibility) => PresenceVisibility,
): RealtimeServices {
  const { webPubSub, tokenMinutes, upstream } = config.realtime;
  const client = createWebPubSubClient(webPubSub, infra.azureClientId);
  const accessKey = accessKeyOf(webPubSub.connectionString);
  return {
    deps: {
      gateway: client ? new WebPubSubGateway(client) : UNCONFIGURED,
      visibility: widen ? widen(staffVisibility(users)) : staffVisibility(users),
      users,
      tokenMinutes,
      sighted: (userId, username) => recordSightings(presence, [{ userId, at: presence.clock.now(), username }]),
    },
    upstream: new WebPubSubUpstreamAuthenticator({
      accessKey,
      entra: accessKey === undefined && upstream.tenantId && upstream.audience ? entraUpstreamSettings(upstream.tenantId, upstream.audience) : undefined,
      origins: hostOf(webPubSub),
    }),
  };
}
