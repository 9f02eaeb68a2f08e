/** Reads of another player through the social rules: their profile with counts, their presence. */
import { getUser, type Versioned } from '../accounts/profiles.js';
import { isAdmin, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import { getStatus, type PresenceView } from '../presence/presence.js';
import type { SocialDeps } from './deps.js';
import { presenceVisible, seesEverything } from './privacy.js';
import { countsOf, findPlayer, otherPlayerProfile, relationTo } from './views.js';
import { userNotFound } from '../accounts/users.js';

/**
 * GET /api/users/{id}: the owner and admins get the account record, others the public profile
 * with follower counts, or only id and username when privacy or a block hides the rest.
 */
export async function viewProfile(deps: SocialDeps, caller: Caller, userId: string): Promise<Versioned<object>> {
  const own = caller.kind === 'player' && caller.subject === userId;
  if (own || isAdmin(caller)) {
    const { view, etag } = await getUser(deps.accounts, caller, userId);
    return { view: { ...view, ...(await countsOf(deps, userId)) }, etag };
  }
  // Another player's public fields come through the profile cache: no Cosmos read of the record.
  const found = await deps.publicProfiles.get(userId);
  if (found === null) throw userNotFound();
  return { view: await otherPlayerProfile(deps, caller, found.profile), etag: found.etag };
}

/**
 * GET /api/user-status?userId=: a player sees another player's presence where that player's
 * privacy lets them (and neither blocks the other); game servers and admins always.
 */
export async function viewStatus(deps: SocialDeps, caller: Caller, userId: string | undefined): Promise<PresenceView> {
  if (userId === undefined || seesEverything(caller, userId)) return getStatus(deps.presence, caller, userId);
  await findPlayer(deps, userId);
  const [relation, privacy] = await Promise.all([relationTo(deps, caller, userId), deps.privacy.get(userId)]);
  if (!presenceVisible(privacy, relation)) throw new DomainError('FORBIDDEN', "This player's presence is not visible to you.");
  return deps.presence.presence.get(userId);
}
