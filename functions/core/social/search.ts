/**
 * Player search by username prefix: a range read of the index (only searchable players are in
 * it), minus players who block the caller or whom the caller blocks.
 */
import type { Caller } from '../kernel/caller.js';
import { invalidCursor, type Page } from '../kernel/paging.js';
import type { SocialDeps } from './deps.js';
import { decodeKey, encodeKey } from './cursors.js';
import type { PlayerRef } from './ports.js';
import type { PlayerSearchQuery } from './schemas.js';

export async function searchPlayers(deps: SocialDeps, caller: Caller, query: PlayerSearchQuery): Promise<Page<PlayerRef>> {
  const prefix = query.search.toLowerCase();
  const found: PlayerRef[] = [];
  let after = decodeKey(query.cursor);
  if (after !== undefined && !after.startsWith(prefix)) throw invalidCursor();
  // Blocks thin a page out; a few more range reads fill it, then a short page carries a cursor.
  for (let round = 0; round < 3; round++) {
    const want = query.limit - found.length;
    const { players, positions } = await deps.index.range(prefix, want + 1, after);
    const batch = players.slice(0, want);
    const relations = caller.kind === 'player' ? await deps.graph.relations(caller.subject, batch.map((p) => p.id)) : new Map();
    found.push(...batch.filter((p) => !relations.get(p.id)?.blockedBy && !relations.get(p.id)?.blocking));
    after = positions[batch.length - 1] ?? after;
    if (players.length <= want) return { items: found, cursor: null };
    if (found.length === query.limit) break;
  }
  return { items: found, cursor: after === undefined ? null : encodeKey(after) };
}
