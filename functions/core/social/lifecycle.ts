/**
 * The social side of an account's life: a new player becomes searchable; a renamed one is found by
 * the new name only; a deleted one leaves search and every list they were in. The index can be rebuilt from the users container.
 */
import type { AccountLifecycle } from '../accounts/deps.js';
import type { StoredUser } from '../accounts/users.js';
import { requireAdmin, type Caller } from '../kernel/caller.js';
import type { SocialDeps } from './deps.js';

export function socialLifecycle(deps: SocialDeps): AccountLifecycle {
  return {
    async created(user) {
      await deps.index.add([{ id: user.id, username: user.username }]);
    },
    async renamed(before, after) {
      await deps.index.remove([{ id: before.id, username: before.username }]);
      if ((await deps.privacy.get(after.id)).searchable !== false) await deps.index.add([{ id: after.id, username: after.username }]);
    },
    async deleted(user) {
      await removePlayer(deps, user);
    },
  };
}

async function removePlayer(deps: SocialDeps, user: StoredUser): Promise<void> {
  const me = { id: user.id, username: user.username };
  await deps.index.remove([me]);
  const edges = await deps.graph.allOf(user.id);
  // Undone from the side that owns each edge, so the other player's list loses them too.
  for (const edge of edges) {
    if (edge.outgoing) await deps.graph.setEdge(edge.kind, me, edge.other, () => 'none');
    else await deps.graph.setEdge(edge.kind, edge.other, me, () => 'none');
  }
  await Promise.all([deps.privacy.delete(user.id), deps.preferences.delete(user.id)]);
}

/**
 * POST /api/admin/players/reindex: one batch of the rebuild of the search index from the users
 * container (every user, by username), honouring `searchable`. Call again with the cursor it
 * answers until that is null.
 */
export async function reindexPlayers(deps: SocialDeps, caller: Caller, cursor: string | undefined): Promise<{ indexed: number; cursor: string | null }> {
  requireAdmin(caller);
  const page = await deps.accounts.users.search('', { limit: 100, cursor });
  const privacies = await deps.privacy.getMany(page.items.map((u) => u.id));
  const refs = page.items.map((u) => ({ id: u.id, username: u.username }));
  const searchable = refs.filter((r) => privacies.get(r.id)?.searchable !== false);
  await deps.index.add(searchable);
  await deps.index.remove(refs.filter((r) => privacies.get(r.id)?.searchable === false));
  return { indexed: searchable.length, cursor: page.cursor };
}
