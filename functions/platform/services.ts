/**
 * Wiring: builds every feature's adapters once per process from the config (each feature in
 * platform/features/) and hands the use cases their ports. Handlers receive these services from
 * handle() (platform/http.ts); nothing else constructs an SDK client.
 */
import type { ActivityDeps } from '../core/activity/activity.js';
import type { SyncDeps, SyncLimits } from '../core/activity/sync.js';
import type { AccountDeps } from '../core/accounts/deps.js';
import type { IdentityDeps } from '../core/identities/deps.js';
import type { GameplayAiDeps } from '../core/ai/gameplay-ai.js';
import type { EmailDeps } from '../core/email/deps.js';
import { requestMails } from '../core/email/delivery.js';
import type { CatalogDeps } from '../core/catalog/catalog.js';
import type { AuditLog } from '../core/events/audit.js';
import type { OutboxEventSink } from '../core/events/outbox.js';
import type { Caller } from '../core/kernel/caller.js';
import type { Clock } from '../core/kernel/clock.js';
import type { HealthCheck } from '../core/kernel/health.js';
import type { MetricsSource } from '../core/metrics/metrics.js';
import { recordSightings, type PresenceDeps } from '../core/presence/presence.js';
import type { JoseAccessTokens } from '../adapters/jwt/access-tokens.js';
import { getConfig, type AppConfig } from './config.js';
import { wireAccounts } from './features/accounts.js';
import { wireActivity } from './features/activity.js';
import { wireAi } from './features/ai.js';
import { wireEmail } from './features/email.js';
import { wireCatalog } from './features/catalog.js';
import { wireEvents } from './features/events.js';
import { wireIdentities } from './features/identities.js';
import { wireInfrastructure, type Infrastructure } from './features/infrastructure.js';
import { wirePresence } from './features/presence.js';
import { wireSocial } from './features/social.js';
import { RedisPublicProfiles } from '../adapters/redis/public-profiles.js';
import type { SocialDeps } from '../core/social/deps.js';
import { socialLifecycle } from '../core/social/lifecycle.js';
import { socialPresenceVisibility } from '../core/social/presence-visibility.js';
import { wireWallet } from './features/wallet.js';
import { wireLeaderboards } from './features/leaderboards.js';
import { wireMatches } from './features/matches.js';
import type { MatchDeps } from '../core/matches/matches.js';
import type { LeaderboardDeps } from '../core/leaderboards/leaderboards.js';
import type { WalletDeps } from '../core/wallet/wallet.js';
import { wireRealtime, type RealtimeServices } from './features/realtime.js';

export interface Services {
  config: AppConfig;
  infrastructure: Infrastructure;
  accounts: AccountDeps;
  identities: IdentityDeps;
  accessTokens: JoseAccessTokens;
  presence: PresenceDeps;
  activity: ActivityDeps;
  sync: SyncDeps;
  syncLimits: SyncLimits;
  audit: AuditLog;
  events: OutboxEventSink;
  gameplayAi: GameplayAiDeps;
  email: EmailDeps;
  social: SocialDeps;
  wallet: WalletDeps;
  leaderboards: LeaderboardDeps;
  matches: MatchDeps;
  /** What GET /api/health checks: Cosmos, Redis, Service Bus. */
  catalog: CatalogDeps;
  realtime: RealtimeServices;
  healthChecks: HealthCheck[];
  /** What GET /api/health/metrics reads. */
  metrics: { source: MetricsSource; clock: Clock };
  /** What GET /api/health/ready checks: the same, and Key Vault when secrets come from one. */
  readinessChecks: HealthCheck[];
  /** Runs after every successful authentication: presence counts a player's call as a sighting. */
  onAuthenticated: ((caller: Caller) => Promise<void>)[];
  close(): Promise<void>;
}

/** Async only because the Cosmos SDK is imported here, by the first invocation that needs services. */
export async function createServices(config: AppConfig): Promise<Services> {
  const infrastructure = await wireInfrastructure(config);
  const { events, publisher, audit, healthCheck: serviceBusHealth, outboxSize } = wireEvents(config, infrastructure);
  // Accounts queue mails and email reads accounts: the requester is bound once both exist.
  let email: EmailDeps | undefined;
  const { accounts, accessTokens, close: closeAccounts } = wireAccounts(config, infrastructure, events, {
    requestMails: (requests) => (email ? requestMails(email, requests) : Promise.resolve()),
    requireVerifiedEmail: config.email.settings.requireVerifiedEmail,
  });
  email = wireEmail(config, infrastructure, accounts.users);
  const identities = wireIdentities(config, infrastructure, accounts);
  // Other players' public profiles and usernames, one Redis cache for every reader (profiles, leaderboards, presence).
  const publicProfiles = new RedisPublicProfiles(infrastructure.redis, infrastructure.keyPrefix, accounts.users);
  const presence = wirePresence(config, infrastructure, events, accounts.users, publicProfiles);
  const { activity, sync, syncLimits } = wireActivity(config, infrastructure, presence, publisher);
  const gameplayAi = wireAi(config, infrastructure, events);
  const social = wireSocial(config, infrastructure, events, accounts, presence, publicProfiles);
  accounts.lifecycle.push(socialLifecycle(social));
  const healthChecks = [...infrastructure.healthChecks, serviceBusHealth];
  const wallet = wireWallet(config, infrastructure, events, accounts.users);
  const leaderboards = wireLeaderboards(config, infrastructure, publicProfiles);
  // Accounts are wired first (everything needs users), so their cache hook is set once the cache exists.
  const matches = wireMatches(config, infrastructure, events, accounts.users, leaderboards, wallet);
  // A changed, renamed or deleted profile leaves the cache, and presence forgets the name it had.
  accounts.profileChanged = async (userId) => {
    await Promise.all([publicProfiles.invalidate(userId), presence.presence.forgetUsername(userId)]);
  };
  const catalog = wireCatalog(infrastructure, events);
  const realtime = wireRealtime(config, infrastructure, presence, accounts.users, (staff) => socialPresenceVisibility(social, staff));

  return {
    config,
    infrastructure,
    accounts,
    identities,
    accessTokens,
    presence,
    activity,
    sync,
    syncLimits,
    audit,
    events,
    gameplayAi,
    email,
    social,
    wallet,
    leaderboards,
    matches,
    catalog,
    realtime,
    healthChecks,
    metrics: {
      clock: infrastructure.clock,
      source: {
        counters: () => infrastructure.counters.counters(),
        activityBacklog: () => infrastructure.counters.activityBacklog(),
        onlineCount: () => infrastructure.counters.onlineCount(),
        outboxSize,
      },
    },
    readinessChecks: infrastructure.secretsCheck ? [...healthChecks, infrastructure.secretsCheck] : healthChecks,
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

let services: Promise<Services> | undefined;

/** The services of this process, built from the environment's config on first use (retried if that failed). */
export function getServices(): Promise<Services> {
  services ??= createServices(getConfig()).catch((error: unknown) => {
    services = undefined;
    throw error;
  });
  return services;
}

export async function closeServices(): Promise<void> {
  const current = services;
  services = undefined;
  await (await current?.catch(() => undefined))?.close();
}
