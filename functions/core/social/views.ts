/**
 * How another player looks to a caller: their relation (from the caller's own partition), the
 * other player's privacy, and what of their profile, presence and lists that lets through.
 */
import { userNotFound, type PublicUserView, type StoredUser } from '../accounts/users.js';
import { isStaff, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { PresenceView } from '../presence/presence.js';
import type { SocialDeps } from './deps.js';
import { NO_RELATION, type EdgeEntry, type PlayerRef, type Relation } from './ports.js';
import { presenceVisible, profileVisible, seesEverything, type Privacy } from './privacy.js';

export interface ListItem {
  userId: string;
  username: string;
  since: string;
  /** Present when the listed player's privacy lets the caller see it. */
  presence?: Pick<PresenceView, 'status' | 'lastSeenAt'>;
}

/** What a restricted profile still shows: who it is, nothing else. */
export interface RestrictedUserView {
  id: string;
  username: string;
  restricted: true;
}

export interface Counts {
  followers: number;
  following: number;
}

export async function relationTo(deps: SocialDeps, caller: Caller, userId: string): Promise<Relation> {
  if (caller.kind !== 'player' || caller.subject === userId) return NO_RELATION;
  return (await deps.graph.relations(caller.subject, [userId])).get(userId) ?? NO_RELATION;
}

export async function findPlayer(deps: SocialDeps, userId: string): Promise<StoredUser> {
  const user = await deps.accounts.users.findById(userId);
  if (!user) throw userNotFound();
  return user;
}

/** The caller as a player reference; the token carries the username, the record if it does not. */
export async function callerRef(deps: SocialDeps, caller: Caller): Promise<PlayerRef> {
  if (caller.username) return { id: caller.subject, username: caller.username };
  const user = await findPlayer(deps, caller.subject);
  return { id: user.id, username: user.username };
}

export async function countsOf(deps: SocialDeps, userId: string): Promise<Counts> {
  const [followers, following] = await Promise.all([deps.graph.count(userId, 'followers', 'active'), deps.graph.count(userId, 'following', 'active')]);
  return { followers, following };
}

/** The profile of another player (not the caller, not for staff): public view and counts, or the minimum. */
export async function otherPlayerProfile(deps: SocialDeps, caller: Caller, profile: PublicUserView): Promise<(PublicUserView & Counts) | RestrictedUserView> {
  const [relation, privacy] = await Promise.all([relationTo(deps, caller, profile.id), deps.privacy.get(profile.id)]);
  if (!seesEverything(caller, profile.id) && !profileVisible(privacy, relation)) return { id: profile.id, username: profile.username, restricted: true };
  return { ...profile, ...(await countsOf(deps, profile.id)) };
}

/** A player's lists and counts are as visible as their profile; 403 otherwise. */
export async function requireListVisible(deps: SocialDeps, caller: Caller, userId: string): Promise<void> {
  if (seesEverything(caller, userId)) return;
  const [relation, privacy] = await Promise.all([relationTo(deps, caller, userId), deps.privacy.get(userId)]);
  if (!profileVisible(privacy, relation)) throw new DomainError('FORBIDDEN', "This player's lists are not visible to you.");
}

/**
 * List entries as the caller sees them: players who block the caller, or whom the caller blocks,
 * are left out; presence is added where each player's privacy lets the caller see it.
 */
export async function toListItems(deps: SocialDeps, caller: Caller, entries: EdgeEntry[]): Promise<ListItem[]> {
  if (entries.length === 0) return [];
  const ids = entries.map((e) => e.userId);
  const staff = isStaff(caller);
  const [relations, privacies] = await Promise.all([
    caller.kind === 'player' ? deps.graph.relations(caller.subject, ids) : Promise.resolve(new Map<string, Relation>()),
    staff ? Promise.resolve(new Map<string, Privacy>()) : deps.privacy.getMany(ids),
  ]);
  const shown = entries.filter((e) => {
    const relation = relations.get(e.userId);
    return staff || e.userId === caller.subject || !(relation?.blockedBy || relation?.blocking);
  });
  return Promise.all(
    shown.map(async (e) => {
      const item: ListItem = { userId: e.userId, username: e.username, since: e.since };
      const privacy = privacies.get(e.userId);
      const visible = staff || e.userId === caller.subject || (privacy !== undefined && presenceVisible(privacy, relations.get(e.userId) ?? NO_RELATION));
      if (visible) {
        const { status, lastSeenAt } = await deps.presence.presence.get(e.userId);
        item.presence = { status, lastSeenAt };
      }
      return item;
    }),
  );
}
