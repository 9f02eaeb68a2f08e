/** Sessions in Cosmos, partitioned by user: a refresh is one point read and one conditional write. */
import type { Container } from '@azure/cosmos';
import type { SessionRepository } from '../../core/ports.js';
import type { SessionRecord } from '../../core/sessions.js';
import type { CosmosHandle } from './client.js';

interface SessionDocument extends Omit<SessionRecord, 'etag'> {
  type: 'session';
  _etag?: string;
}

function fromDocument(doc: SessionDocument): SessionRecord {
  const { type: _type, _etag, ...fields } = doc;
  const record: SessionRecord = {
    id: fields.id,
    userId: fields.userId,
    createdAt: fields.createdAt,
    lastUsedAt: fields.lastUsedAt,
    absoluteExpiresAt: fields.absoluteExpiresAt,
    userAgent: fields.userAgent,
    ip: fields.ip,
    clientLabel: fields.clientLabel,
    tokenHash: fields.tokenHash,
    generation: fields.generation,
    previousTokenHash: fields.previousTokenHash,
    rotatedAt: fields.rotatedAt,
    sealedSuccessor: fields.sealedSuccessor,
    revokedAt: fields.revokedAt,
    revokedReason: fields.revokedReason,
  };
  return _etag ? { ...record, etag: _etag } : record;
}

function toDocument(session: SessionRecord): SessionDocument {
  const { etag: _etag, ...fields } = session;
  return { ...fields, type: 'session' };
}

export class CosmosSessionRepository implements SessionRepository {
  private readonly sessions: Container;

  constructor(cosmos: CosmosHandle) {
    this.sessions = cosmos.container('sessions');
  }

  async create(session: SessionRecord): Promise<SessionRecord> {
    const { resource } = await this.sessions.items.create<SessionDocument>(toDocument(session));
    if (!resource) throw new Error('Cosmos returned no document for a created session');
    return fromDocument(resource);
  }

  async get(userId: string, sessionId: string): Promise<SessionRecord | null> {
    const { resource } = await this.sessions.item(sessionId, userId).read<SessionDocument>();
    return resource ? fromDocument(resource) : null;
  }
}
