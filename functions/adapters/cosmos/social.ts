/**
 * The social graph in Cosmos: every edge is two documents, the authoritative one in the acting
 * player's partition (the follower's, the blocker's) and its mirror in the other player's, so each
 * list is one partition's query. Each change bumps the authoritative document's version with an
 * etag compare-and-swap; the mirror only ever moves to a higher version. However follows and
 * unfollows race, both sides end in the state of the last change, and counts (counts of documents)
 * equal the edges. An undone edge stays as a tombstone (state "none") so versions never go back.
 */
import type { Container } from '@azure/cosmos';
import type { EdgeEntry, EdgeKind, FollowState, ListKind, PlayerRef, Relation, SocialGraph } from '../../core/social/ports.js';
import { NO_RELATION } from '../../core/social/ports.js';
import { cosmosStatus, isPossibleId, type CosmosHandle } from './client.js';

type DocumentKind = ListKind | 'blockedBy';

interface EdgeDocument {
  id: string;
  /** The partition: the player whose list this document is in. */
  userId: string;
  type: 'edge';
  edge: EdgeKind;
  kind: DocumentKind;
  otherId: string;
  otherUsername: string;
  state: FollowState;
  since: string;
  sortKey: string;
  version: number;
  _etag?: string;
}

const OUT_KIND: Record<EdgeKind, DocumentKind> = { follow: 'following', block: 'blocking' };
const IN_KIND: Record<EdgeKind, DocumentKind> = { follow: 'followers', block: 'blockedBy' };
const MAX_ATTEMPTS = 50;

function conflict(error: unknown): boolean {
  const status = cosmosStatus(error);
  return status === 409 || status === 412 || status === 404;
}

export class CosmosSocialGraph implements SocialGraph {
  private readonly container: Container;

  constructor(
    cosmos: CosmosHandle,
    private readonly now: () => number,
  ) {
    this.container = cosmos.container('social');
  }

  async setEdge(kind: EdgeKind, from: PlayerRef, to: PlayerRef, decide: (current: FollowState) => FollowState) {
    const id = `${kind}-out:${to.id}`;
    for (let attempt = 1; ; attempt++) {
      const { resource: doc } = await this.container.item(id, from.id).read<EdgeDocument>();
      const previous = doc?.state ?? 'none';
      const current = decide(previous);
      if (current === previous) {
        // Nothing to change here; bring a mirror a crash left behind up to date.
        if (doc) await this.mirror(doc, from);
        return { previous, current };
      }
      const since = new Date(this.now()).toISOString();
      const next: EdgeDocument = {
        id,
        userId: from.id,
        type: 'edge',
        edge: kind,
        kind: OUT_KIND[kind],
        otherId: to.id,
        otherUsername: to.username || doc?.otherUsername || '',
        state: current,
        since,
        sortKey: `${since}|${to.id}`,
        version: (doc?.version ?? 0) + 1,
      };
      try {
        if (doc?._etag) await this.container.item(id, from.id).replace(next, { accessCondition: { type: 'IfMatch', condition: doc._etag } });
        else await this.container.items.create(next);
      } catch (error) {
        if (conflict(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      await this.mirror(next, from);
      return { previous, current };
    }
  }

  /** Moves the other side's copy to this version of the edge, unless it already has a later one. */
  private async mirror(out: EdgeDocument, from: PlayerRef): Promise<void> {
    const id = `${out.edge}-in:${from.id}`;
    for (let attempt = 1; ; attempt++) {
      const { resource: doc } = await this.container.item(id, out.otherId).read<EdgeDocument>();
      if (doc && doc.version >= out.version) return;
      const next: EdgeDocument = {
        ...out,
        id,
        userId: out.otherId,
        kind: IN_KIND[out.edge],
        otherId: from.id,
        otherUsername: from.username || doc?.otherUsername || '',
        sortKey: `${out.since}|${from.id}`,
      };
      delete next._etag;
      try {
        if (doc?._etag) await this.container.item(id, out.otherId).replace(next, { accessCondition: { type: 'IfMatch', condition: doc._etag } });
        else await this.container.items.create(next);
        return;
      } catch (error) {
        if (conflict(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async relations(viewerId: string, others: string[]): Promise<Map<string, Relation>> {
    const result = new Map<string, Relation>();
    const ids = others.filter(isPossibleId);
    if (ids.length === 0 || !isPossibleId(viewerId)) return result;
    const { resources } = await this.container.items
      .query<Pick<EdgeDocument, 'kind' | 'otherId' | 'state'>>(
        {
          query: "SELECT c.kind, c.otherId, c.state FROM c WHERE c.type = 'edge' AND c.userId = @me AND ARRAY_CONTAINS(@ids, c.otherId)",
          parameters: [
            { name: '@me', value: viewerId },
            { name: '@ids', value: ids },
          ],
        },
        { partitionKey: viewerId },
      )
      .fetchAll();
    for (const doc of resources) {
      const relation = { ...(result.get(doc.otherId) ?? NO_RELATION) };
      if (doc.kind === 'following') relation.following = doc.state;
      else if (doc.kind === 'followers') relation.followedBy = doc.state;
      else if (doc.kind === 'blocking') relation.blocking = doc.state === 'active';
      else relation.blockedBy = doc.state === 'active';
      result.set(doc.otherId, relation);
    }
    return result;
  }

  async list(userId: string, kind: ListKind, state: FollowState, limit: number, after: string | undefined): Promise<EdgeEntry[]> {
    if (!isPossibleId(userId)) return [];
    const { resources } = await this.container.items
      .query<EdgeDocument>(
        {
          query: `SELECT TOP @limit * FROM c WHERE c.type = 'edge' AND c.userId = @user AND c.kind = @kind AND c.state = @state${after === undefined ? '' : ' AND c.sortKey < @after'} ORDER BY c.sortKey DESC`,
          parameters: [
            { name: '@limit', value: limit },
            { name: '@user', value: userId },
            { name: '@kind', value: kind },
            { name: '@state', value: state },
            ...(after === undefined ? [] : [{ name: '@after', value: after }]),
          ],
        },
        { partitionKey: userId },
      )
      .fetchAll();
    return resources.map((d) => ({ userId: d.otherId, username: d.otherUsername, state: d.state, since: d.since, sortKey: d.sortKey }));
  }

  async count(userId: string, kind: ListKind, state: FollowState): Promise<number> {
    if (!isPossibleId(userId)) return 0;
    const { resources } = await this.container.items
      .query<number>(
        {
          query: "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'edge' AND c.userId = @user AND c.kind = @kind AND c.state = @state",
          parameters: [
            { name: '@user', value: userId },
            { name: '@kind', value: kind },
            { name: '@state', value: state },
          ],
        },
        { partitionKey: userId },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  async allOf(userId: string) {
    const { resources } = await this.container.items
      .query<EdgeDocument>(
        { query: "SELECT * FROM c WHERE c.type = 'edge' AND c.userId = @user AND c.state != 'none'", parameters: [{ name: '@user', value: userId }] },
        { partitionKey: userId },
      )
      .fetchAll();
    return resources.map((d) => ({ kind: d.edge, outgoing: d.kind === 'following' || d.kind === 'blocking', other: { id: d.otherId, username: d.otherUsername } }));
  }
}
