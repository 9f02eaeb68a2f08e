/**
 * Whose presence a player may follow over realtime (presence:{userId}): the same rule as
 * GET /api/user-status, the player's presenceVisibility against the relation (followers, friends,
 * nobody; never across a block). Staff and the player themself are decided by `fallback` first.
 */
import type { Caller } from '../kernel/caller.js';
import type { PresenceVisibility } from '../realtime/ports.js';
import type { SocialDeps } from './deps.js';
import { presenceVisible } from './privacy.js';
import { relationTo } from './views.js';

export function socialPresenceVisibility(deps: SocialDeps, fallback: PresenceVisibility): PresenceVisibility {
  return {
    async maySee(viewer, userId) {
      if (await fallback.maySee(viewer, userId)) return true;
      const player: Caller = { subject: viewer.userId, kind: 'player', sessionId: null, roles: ['player'], username: null };
      const [relation, privacy] = await Promise.all([relationTo(deps, player, userId), deps.privacy.get(userId)]);
      return presenceVisible(privacy, relation);
    },
  };
}
