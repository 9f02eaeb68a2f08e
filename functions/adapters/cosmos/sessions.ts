/** Sessions in Cosmos, partitioned by user: a refresh is one point read and one conditional write. */
import type { Container } from '@azure/cosmos';
import type { Page, PageRequest } from '../../core/kernel/paging.js';
import type { SessionRepository } from '../../core/sessions/ports.js';
import type { SessionRecord } from '../../core/sessions/session.js';
import { pendingFields, type PendingFields } from './outbox.js';
import { cosmosStatus, deleteIfPresent, encodeCursor, fetchPage, isPossibleId, type CosmosHandle } from './client.js';

interface SessionDocument extends Omit<SessionRecord, 'etag' | 'pendingEvents'>, PendingFields {
  type: 'session';
  /** Seconds after the last write that Cosmos deletes the document (the stand-in never does). */
  ttl: number;
  _etag?: string;
}

function fromDocument(doc: SessionDocument): SessionRecord {
  const record: SessionRecord = {
    id: doc.id,
    userId: doc.userId,
    createdAt: doc.createdAt,
    lastUsedAt: doc.lastUsedAt,
    absoluteExpiresAt: doc.absoluteExpiresAt,
    userAgent: doc.userAgent,
    ip: doc.ip,
    clientLabel: doc.clientLabel,
    tokenHash: doc.tokenHash,
    generation: doc.generation,
    retiredTokenHashes: doc.retiredTokenHashes,
    rotatedAt: doc.rotatedAt,
    sealedSuccessor: doc.sealedSuccessor,
    revokedAt: doc.revokedAt,
    revokedReason: doc.revokedReason,
    ...(doc.pendingEvents ? { pendingEvents: doc.pendingEvents } : {}),
  };
  return doc._etag ? { ...record, etag: doc._etag } : record;
}

export class CosmosSessionRepository implements SessionRepository {
  private readonly sessions: Container;

  /** @param retentionSeconds how long a document outlives its last write: the session's lifetime and a day. */
  constructor(
    cosmos: CosmosHandle,
    private readonly retentionSeconds: number,
  ) {
    this.sessions = cosmos.container('sessions');
  }

  private toDocument(session: SessionRecord): SessionDocument {
    const { etag: _etag, pendingEvents, ...fields } = session;
    return { ...fields, type: 'session', ttl: this.retentionSeconds, ...pendingFields(pendingEvents) };
  }

  async create(session: SessionRecord): Promise<SessionRecord> {
    const { resource } = await this.sessions.items.create<SessionDocument>(this.toDocument(session));
    if (!resource) throw new Error('Cosmos returned no document for a created session');
    return fromDocument(resource);
  }

  async get(userId: string, sessionId: string): Promise<SessionRecord | null> {
    // Session ids arrive from paths (DELETE /me/sessions/{id}).
    if (!isPossibleId(sessionId) || !isPossibleId(userId)) return null;
    const { resource } = await this.sessions.item(sessionId, userId).read<SessionDocument>();
    return resource ? fromDocument(resource) : null;
  }

  async replaceIfUnchanged(session: SessionRecord): Promise<SessionRecord | null> {
    if (!session.etag) throw new Error('replaceIfUnchanged needs the etag of the session it read');
    try {
      const { resource } = await this.sessions
        .item(session.id, session.userId)
        .replace<SessionDocument>(this.toDocument(session), { accessCondition: { type: 'IfMatch', condition: session.etag } });
      return resource ? fromDocument(resource) : null;
    } catch (error) {
      if (cosmosStatus(error) === 412 || cosmosStatus(error) === 404) return null;
      throw error;
    }
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<SessionRecord>> {
    const response = await fetchPage(page.cursor, (continuationToken) =>
      this.sessions.items
        .query<SessionDocument>(
          {
            query: 'SELECT * FROM c WHERE c.userId = @userId AND IS_NULL(c.revokedAt) ORDER BY c.lastUsedAt DESC',
            parameters: [{ name: '@userId', value: userId }],
          },
          { partitionKey: userId, maxItemCount: page.limit, continuationToken },
        )
        .fetchNext(),
    );
    return { items: response.resources.map(fromDocument), cursor: encodeCursor(response.continuationToken) };
  }

  async allOfUser(userId: string): Promise<SessionRecord[]> {
    const { resources } = await this.sessions.items
      .query<SessionDocument>({ query: 'SELECT * FROM c WHERE c.userId = @userId', parameters: [{ name: '@userId', value: userId }] }, { partitionKey: userId })
      .fetchAll();
    return resources.map(fromDocument);
  }

  async deleteAllOfUser(userId: string): Promise<void> {
    for (const session of await this.allOfUser(userId)) {
      await deleteIfPresent(this.sessions, session.id, userId);
    }
  }
}
