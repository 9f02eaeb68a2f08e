/** Presence: who is online and what they are doing, in Redis; the sweep marks the quiet offline. */
import { RedisPresenceStore } from '../../adapters/redis/presence.js';
import type { ProfileNames, UserRepository } from '../../core/accounts/ports.js';
import type { EventSink } from '../../core/events/outbox.js';
import type { PresenceDeps } from '../../core/presence/presence.js';
import { featureSettings, int, schedule } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const PRESENCE_SCHEDULE_DEFAULTS = { PRESENCE_SWEEP_SCHEDULE: '0 * * * * *' } as const;

export const presenceSettings = featureSettings({
  shape: {
    PRESENCE_TIMEOUT_SECONDS: int(1, 86_400).default(300),
    PRESENCE_SWEEP_SCHEDULE: schedule(PRESENCE_SCHEDULE_DEFAULTS.PRESENCE_SWEEP_SCHEDULE),
  },
  read: (s) => ({ presence: { timeoutSeconds: s.PRESENCE_TIMEOUT_SECONDS } }),
});

export type PresenceConfig = ReturnType<typeof presenceSettings.read>;

export function wirePresence(config: PresenceConfig, infra: Infrastructure, events: EventSink, users: Pick<UserRepository, 'findById'>, names: ProfileNames): PresenceDeps {
  return {
    presence: new RedisPresenceStore(infra.redis, infra.keyPrefix),
    events,
    clock: infra.clock,
    newId: infra.newId,
    users,
    timeoutSeconds: config.presence.timeoutSeconds,
    usernames: (userIds) => names.usernames(userIds),
  };
}
