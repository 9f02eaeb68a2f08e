/**
 * Wiring: builds every feature's adapters once per process from the config (each feature in
 * platform/features/) and hands the use cases their ports. Handlers receive these services from
 * handle() (platform/http.ts); nothing else constructs an SDK client.
 */
import type { ActivityDeps } from '../core/activity/activity.js';
import type { SyncDeps, SyncLimits } from '../core/activity/sync.js';
import type { AccountDeps } from '../core/accounts/deps.js';
import type { GameplayAiDeps } from '../core/ai/gameplay-ai.js';
import type { CatalogDeps } from '../core/catalog/catalog.js';
import type { AuditLog } from '../core/events/audit.js';
import type { OutboxEventSink } from '../core/events/outbox.js';
import type { Caller } from '../core/kernel/caller.js';
import type { HealthCheck } from '../core/kernel/health.js';
import { recordSightings, type PresenceDeps } from '../core/presence/presence.js';
import type { JoseAccessTokens } from '../adapters/jwt/access-tokens.js';
import { getConfig, type AppConfig } from './config.js';
import { wireAccounts } from './features/accounts.js';
import { wireActivity } from './features/activity.js';
import { wireAi } from './features/ai.js';
import { wireCatalog } from './features/catalog.js';
import { wireEvents } from './features/events.js';
import { wireInfrastructure, type Infrastructure } from './features/infrastructure.js';
import { wirePresence } from './features/presence.js';
import { wireRealtime, type RealtimeServices } from './features/realtime.js';

export interface Services {
  config: AppConfig;
  infrastructure: Infrastructure;
  accounts: AccountDeps;
  accessTokens: JoseAccessTokens;
  presence: PresenceDeps;
  activity: ActivityDeps;
  sync: SyncDeps;
  syncLimits: SyncLimits;
  audit: AuditLog;
  events: OutboxEventSink;
  gameplayAi: GameplayAiDeps;
  catalog: CatalogDeps;
  realtime: RealtimeServices;
  healthChecks: HealthCheck[];
  /** Runs after every successful authentication: presence counts a player's call as a sighting. */
  onAuthenticated: ((caller: Caller) => Promise<void>)[];
  close(): Promise<void>;
}

export function createServices(config: AppConfig): Services {
  const infrastructure = wireInfrastructure(config);
  const { events, publisher, audit } = wireEvents(config, infrastructure);
  const { accounts, accessTokens, close: closeAccounts } = wireAccounts(config, infrastructure, events);
  const presence = wirePresence(config, infrastructure, events, accounts.users);
  const { activity, sync, syncLimits } = wireActivity(config, infrastructure, presence, publisher);
  const gameplayAi = wireAi(config, infrastructure, events);
  const catalog = wireCatalog(infrastructure, events);
  const realtime = wireRealtime(config, infrastructure, presence, accounts.users);

  return {
    config,
    infrastructure,
    accounts,
    accessTokens,
    presence,
    activity,
    sync,
    syncLimits,
    audit,
    events,
    gameplayAi,
    catalog,
    realtime,
    healthChecks: infrastructure.healthChecks,
    onAuthenticated: [
      async (caller) => {
        if (caller.kind !== 'player') return;
        await recordSightings(presence, [{ userId: caller.subject, at: presence.clock.now(), username: caller.username }]);
      },
    ],
    async close() {
      await Promise.allSettled([infrastructure.close(), closeAccounts(), publisher.close()]);
    },
  };
}

let services: Services | undefined;

/** The services of this process, built from the environment's config on first use. */
export function getServices(): Services {
  services ??= createServices(getConfig());
  return services;
}

export async function closeServices(): Promise<void> {
  const current = services;
  services = undefined;
  await current?.close();
}
