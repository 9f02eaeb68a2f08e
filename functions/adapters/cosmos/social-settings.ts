/** Each player's privacy settings and preferences: one document each, in their social partition. */
import type { Container } from '@azure/cosmos';
import { DomainError } from '../../core/kernel/errors.js';
import type { PreferencesStore, PrivacyStore, Versioned } from '../../core/social/ports.js';
import { DEFAULT_PRIVACY, type Privacy } from '../../core/social/privacy.js';
import { cosmosStatus, deleteIfPresent, isPossibleId, type CosmosHandle } from './client.js';

interface PrivacyDocument extends Privacy {
  id: 'privacy';
  userId: string;
  type: 'privacy';
  _etag?: string;
}

interface PreferencesDocument {
  id: 'preferences';
  userId: string;
  type: 'preferences';
  document: Record<string, unknown>;
  _etag?: string;
}

function privacyOf(doc: PrivacyDocument | undefined): Privacy {
  if (!doc) return { ...DEFAULT_PRIVACY };
  return {
    profileVisibility: doc.profileVisibility,
    presenceVisibility: doc.presenceVisibility,
    followApproval: doc.followApproval,
    searchable: doc.searchable,
  };
}

export class CosmosPrivacyStore implements PrivacyStore {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('social');
  }

  async get(userId: string): Promise<Privacy> {
    if (!isPossibleId(userId)) return { ...DEFAULT_PRIVACY };
    const { resource } = await this.container.item('privacy', userId).read<PrivacyDocument>();
    return privacyOf(resource);
  }

  async getMany(userIds: string[]): Promise<Map<string, Privacy>> {
    const unique = [...new Set(userIds)];
    const found = await Promise.all(unique.map(async (id) => [id, await this.get(id)] as const));
    return new Map(found);
  }

  async update(userId: string, change: (current: Privacy) => Privacy): Promise<Privacy> {
    for (let attempt = 1; ; attempt++) {
      const { resource } = await this.container.item('privacy', userId).read<PrivacyDocument>();
      const next: PrivacyDocument = { ...change(privacyOf(resource)), id: 'privacy', userId, type: 'privacy' };
      try {
        if (resource?._etag) await this.container.item('privacy', userId).replace(next, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
        else await this.container.items.create(next);
        return privacyOf(next);
      } catch (error) {
        const status = cosmosStatus(error);
        if ((status === 409 || status === 412) && attempt < 10) continue;
        throw error;
      }
    }
  }

  async delete(userId: string): Promise<void> {
    await deleteIfPresent(this.container, 'privacy', userId);
  }
}

function stale(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The preferences changed since you read them (If-Match does not match their ETag); read them again.');
}

export class CosmosPreferencesStore implements PreferencesStore {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('social');
  }

  async get(userId: string): Promise<Versioned<Record<string, unknown>>> {
    const { resource } = await this.container.item('preferences', userId).read<PreferencesDocument>();
    return { value: resource?.document ?? {}, etag: resource?._etag };
  }

  async put(userId: string, document: Record<string, unknown>, ifMatch: string | undefined): Promise<Versioned<Record<string, unknown>>> {
    const next: PreferencesDocument = { id: 'preferences', userId, type: 'preferences', document };
    if (ifMatch === undefined) {
      const { resource } = await this.container.items.upsert<PreferencesDocument>(next);
      return { value: resource?.document ?? document, etag: resource?._etag };
    }
    // Compared here, written with the stored spelling: Cosmos quotes its etags, the stand-in does not.
    const { resource: current } = await this.container.item('preferences', userId).read<PreferencesDocument>();
    if (!current?._etag || bare(current._etag) !== bare(ifMatch)) throw stale();
    try {
      const { resource } = await this.container
        .item('preferences', userId)
        .replace<PreferencesDocument>(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
      return { value: resource?.document ?? document, etag: resource?._etag };
    } catch (error) {
      if (cosmosStatus(error) === 412 || cosmosStatus(error) === 404) throw stale();
      throw error;
    }
  }

  async delete(userId: string): Promise<void> {
    await deleteIfPresent(this.container, 'preferences', userId);
  }
}

/** Cosmos etags are quoted; clients send them quoted or not, weak or not. */
function bare(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}
