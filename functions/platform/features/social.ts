/** The social graph: follows, blocks, privacy, preferences, player search and reports. */
import { CosmosReportStore } from '../../adapters/cosmos/reports.js';
import { CosmosSocialGraph } from '../../adapters/cosmos/social.js';
import { CosmosPreferencesStore, CosmosPrivacyStore } from '../../adapters/cosmos/social-settings.js';
import { RedisPlayerIndex } from '../../adapters/redis/player-index.js';
import type { AccountDeps } from '../../core/accounts/deps.js';
import type { PublicProfiles } from '../../core/accounts/ports.js';
import type { EventSink } from '../../core/events/outbox.js';
import type { PresenceDeps } from '../../core/presence/presence.js';
import type { SocialDeps } from '../../core/social/deps.js';
import { featureSettings, int, rateLimit } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const socialSettings = featureSettings({
  shape: {
    /** Follows, unfollows, blocks and unblocks per player: "max/windowSeconds". */
    SOCIAL_CHANGE_LIMIT: rateLimit('120/60'),
    /** Reports a player may file: "max/windowSeconds". */
    REPORT_LIMIT: rateLimit('10/3600'),
    /** The largest preferences document, in bytes of JSON (at most 16 KiB). */
    PREFERENCES_MAX_BYTES: int(256, 16_384).default(16_384),
  },
  read: (s) => ({
    social: { changeLimit: s.SOCIAL_CHANGE_LIMIT, reportLimit: s.REPORT_LIMIT, preferencesMaxBytes: s.PREFERENCES_MAX_BYTES },
  }),
});

export type SocialConfig = ReturnType<typeof socialSettings.read>;

export function wireSocial(
  config: SocialConfig,
  infra: Infrastructure,
  events: EventSink,
  accounts: AccountDeps,
  presence: PresenceDeps,
  publicProfiles: PublicProfiles,
): SocialDeps {
  return {
    graph: new CosmosSocialGraph(infra.cosmos, () => infra.clock.now()),
    privacy: new CosmosPrivacyStore(infra.cosmos),
    preferences: new CosmosPreferencesStore(infra.cosmos),
    index: new RedisPlayerIndex(infra.redis, infra.keyPrefix),
    reports: new CosmosReportStore(infra.cosmos),
    accounts,
    publicProfiles,
    presence,
    events,
    clock: infra.clock,
    newId: infra.newId,
    limits: {
      changesPerPlayer: { name: 'social-change', ...config.social.changeLimit },
      reportsPerReporter: { name: 'report', ...config.social.reportLimit },
    },
    preferencesMaxBytes: config.social.preferencesMaxBytes,
  };
}
