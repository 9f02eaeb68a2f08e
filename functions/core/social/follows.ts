/**
 * Following: a follow is active at once, or pending until the followee accepts when their privacy
 * asks for approval. Friends are mutual active follows. Edges live on both players' sides, so
 * each list is one partition's query, and counts are counts of those documents: exact by design.
 */
import { requirePlayer, type Caller } from '../kernel/caller.js';
import { DomainError, validationError } from '../kernel/errors.js';
import { userEvent } from '../events/events.js';
import { enforce } from '../kernel/rate-limits.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import type { SocialDeps } from './deps.js';
import { decodeKey, encodeKey } from './cursors.js';
import type { FollowState, ListKind } from './ports.js';
import type { ListQuery } from './schemas.js';
import { callerRef, findPlayer, relationTo, requireListVisible, toListItems, type ListItem } from './views.js';

export interface FollowView {
  userId: string;
  state: FollowState;
}

function notYourself(what: string): DomainError {
  return validationError([{ field: 'userId', message: `cannot be yourself (${what})` }], `You cannot ${what} yourself.`);
}

function now(deps: SocialDeps): string {
  return new Date(deps.clock.now()).toISOString();
}

export async function follow(deps: SocialDeps, caller: Caller, targetId: string): Promise<FollowView> {
  const me = requirePlayer(caller);
  if (targetId === me) throw notYourself('follow');
  const target = await findPlayer(deps, targetId);
  await enforce(deps.accounts.rateLimiter, deps.limits.changesPerPlayer, me);
  const relation = await relationTo(deps, caller, targetId);
  if (relation.blockedBy || relation.blocking) throw new DomainError('FORBIDDEN', 'You cannot follow a player who blocks you or whom you block.');
  const wanted: FollowState = (await deps.privacy.get(targetId)).followApproval ? 'pending' : 'active';
  const from = await callerRef(deps, caller);
  const to = { id: target.id, username: target.username };
  // Following again keeps an active follow active (and a pending one pending).
  const { previous, current } = await deps.graph.setEdge('follow', from, to, (state) => (state === 'none' ? wanted : state));
  // A block that landed while this follow was being written removed edges it could not yet see.
  const after = await relationTo(deps, caller, targetId);
  if (after.blockedBy || after.blocking) {
    await deps.graph.setEdge('follow', from, to, () => 'none');
    throw new DomainError('FORBIDDEN', 'You cannot follow a player who blocks you or whom you block.');
  }
  if (previous === 'none' && current !== 'none') {
    await deps.events.emit([userEvent(deps.newId(), 'userFollowed', { userId: me, targetUserId: targetId, state: current, timestamp: now(deps) })]);
  }
  return { userId: targetId, state: current };
}

/** Unfollows, or withdraws a pending request; unfollowing someone not followed is a no-op. */
export async function unfollow(deps: SocialDeps, caller: Caller, targetId: string): Promise<void> {
  const me = requirePlayer(caller);
  if (targetId === me) throw notYourself('unfollow');
  await enforce(deps.accounts.rateLimiter, deps.limits.changesPerPlayer, me);
  const target = await deps.accounts.users.findById(targetId);
  const from = await callerRef(deps, caller);
  const { previous } = await deps.graph.setEdge('follow', from, { id: targetId, username: target?.username ?? '' }, () => 'none');
  if (previous !== 'none') await deps.events.emit([userEvent(deps.newId(), 'userUnfollowed', { userId: me, targetUserId: targetId, timestamp: now(deps) })]);
}

/** The followee answers a pending request: accept makes it active, reject removes it. */
export async function answerFollowRequest(deps: SocialDeps, caller: Caller, followerId: string, accept: boolean): Promise<FollowView> {
  const me = requirePlayer(caller);
  if (followerId === me) throw notYourself(accept ? 'accept' : 'reject');
  const follower = await findPlayer(deps, followerId);
  const to = await callerRef(deps, caller);
  const { previous, current } = await deps.graph.setEdge('follow', { id: follower.id, username: follower.username }, to, (state) =>
    state === 'pending' ? (accept ? 'active' : 'none') : state,
  );
  if (previous !== 'pending') throw new DomainError('NOT_FOUND', 'This player has no pending follow request to you.');
  if (current === 'active') {
    await deps.events.emit([userEvent(deps.newId(), 'userFollowed', { userId: followerId, targetUserId: me, state: 'active', timestamp: now(deps) })]);
  }
  return { userId: followerId, state: current };
}

/** One page of a stored list, newest first, as the caller may see it. */
async function listPage(deps: SocialDeps, caller: Caller, userId: string, kind: ListKind, state: FollowState, page: PageRequest): Promise<Page<ListItem>> {
  const entries = await deps.graph.list(userId, kind, state, page.limit + 1, decodeKey(page.cursor));
  const shown = entries.slice(0, page.limit);
  const last = shown.at(-1);
  return { items: await toListItems(deps, caller, shown), cursor: entries.length > page.limit && last ? encodeKey(last.sortKey) : null };
}

/** GET /api/users/{id}/followers|following; pending requests only for the player themself. */
export async function listFollows(deps: SocialDeps, caller: Caller, userId: string, kind: 'followers' | 'following', query: ListQuery): Promise<Page<ListItem>> {
  if (query.status === 'pending' && !(caller.kind === 'player' && caller.subject === userId)) {
    throw new DomainError('FORBIDDEN', 'Pending follow requests are visible to their player only.');
  }
  if (caller.kind !== 'player' || caller.subject !== userId) await findPlayer(deps, userId);
  await requireListVisible(deps, caller, userId);
  return listPage(deps, caller, userId, kind, query.status, query);
}

/** Friends: players the caller follows who follow back, newest follow first. */
export async function listFriends(deps: SocialDeps, caller: Caller, page: PageRequest): Promise<Page<ListItem>> {
  const me = requirePlayer(caller);
  const batchSize = Math.min(100, page.limit * 2);
  const friends = [];
  let after = decodeKey(page.cursor);
  // Bounded rounds: a page may come back short, with a cursor to read on from.
  for (let round = 0; round < 5; round++) {
    const batch = await deps.graph.list(me, 'following', 'active', batchSize, after);
    const relations = await deps.graph.relations(me, batch.map((e) => e.userId));
    for (const entry of batch) {
      after = entry.sortKey;
      if (relations.get(entry.userId)?.followedBy !== 'active') continue;
      friends.push(entry);
      if (friends.length === page.limit) return { items: await toListItems(deps, caller, friends), cursor: encodeKey(after) };
    }
    if (batch.length < batchSize) return { items: await toListItems(deps, caller, friends), cursor: null };
  }
  return { items: await toListItems(deps, caller, friends), cursor: after === undefined ? null : encodeKey(after) };
}
