/**
 * Blocking: removes follows both ways and keeps them removed; the blocked player no longer sees
 * the blocker's presence or profile details, finds them in search, or sees them in lists.
 */
import { requirePlayer, type Caller } from '../kernel/caller.js';
import { validationError } from '../kernel/errors.js';
import { userEvent } from '../events/events.js';
import { enforce } from '../kernel/rate-limits.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import type { SocialDeps } from './deps.js';
import { decodeKey, encodeKey } from './cursors.js';
import { callerRef, findPlayer, type ListItem } from './views.js';

export async function block(deps: SocialDeps, caller: Caller, targetId: string): Promise<{ userId: string; blocked: true }> {
  const me = requirePlayer(caller);
  if (targetId === me) throw validationError([{ field: 'userId', message: 'cannot be yourself' }], 'You cannot block yourself.');
  const target = await findPlayer(deps, targetId);
  await enforce(deps.accounts.rateLimiter, deps.limits.changesPerPlayer, me);
  const meRef = await callerRef(deps, caller);
  const them = { id: target.id, username: target.username };
  // The block first: a follow racing with it re-checks afterwards and undoes itself.
  const { previous } = await deps.graph.setEdge('block', meRef, them, () => 'active');
  await Promise.all([deps.graph.setEdge('follow', meRef, them, () => 'none'), deps.graph.setEdge('follow', them, meRef, () => 'none')]);
  if (previous !== 'active') {
    await deps.events.emit([userEvent(deps.newId(), 'userBlocked', { userId: me, targetUserId: targetId, timestamp: new Date(deps.clock.now()).toISOString() })]);
  }
  return { userId: targetId, blocked: true };
}

export async function unblock(deps: SocialDeps, caller: Caller, targetId: string): Promise<void> {
  const me = requirePlayer(caller);
  if (targetId === me) throw validationError([{ field: 'userId', message: 'cannot be yourself' }], 'You cannot unblock yourself.');
  await enforce(deps.accounts.rateLimiter, deps.limits.changesPerPlayer, me);
  const target = await deps.accounts.users.findById(targetId);
  await deps.graph.setEdge('block', await callerRef(deps, caller), { id: targetId, username: target?.username ?? '' }, () => 'none');
}

export async function listBlocks(deps: SocialDeps, caller: Caller, page: PageRequest): Promise<Page<ListItem>> {
  const me = requirePlayer(caller);
  const entries = await deps.graph.list(me, 'blocking', 'active', page.limit + 1, decodeKey(page.cursor));
  const shown = entries.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    items: shown.map((e) => ({ userId: e.userId, username: e.username, since: e.since })),
    cursor: entries.length > page.limit && last ? encodeKey(last.sortKey) : null,
  };
}
