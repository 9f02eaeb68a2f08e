/** What the social use cases take: their ports, the features they read from, their limits. */
import type { AccountDeps } from '../accounts/deps.js';
import type { PublicProfiles } from '../accounts/ports.js';
import type { EventSink } from '../events/outbox.js';
import type { RateLimit } from '../kernel/rate-limits.js';
import type { PresenceDeps } from '../presence/presence.js';
import type { PlayerIndex, PreferencesStore, PrivacyStore, ReportStore, SocialGraph } from './ports.js';

export interface SocialDeps {
  graph: SocialGraph;
  privacy: PrivacyStore;
  preferences: PreferencesStore;
  index: PlayerIndex;
  reports: ReportStore;
  /** Profiles and account status (reports end in setAccountStatus) come from the accounts feature. */
  accounts: AccountDeps;
  /** Other players' public profiles, through the cache. */
  publicProfiles: PublicProfiles;
  /** Presence of other players, shown where their privacy allows. */
  presence: PresenceDeps;
  events: EventSink;
  clock: { now(): number };
  newId: () => string;
  limits: {
    /** Follow, unfollow and block changes per player. */
    changesPerPlayer: RateLimit;
    /** Reports filed per reporter. */
    reportsPerReporter: RateLimit;
  };
  /** The largest preferences document, in bytes of its JSON. */
  preferencesMaxBytes: number;
}
