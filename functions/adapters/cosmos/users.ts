/**
 * Users in Cosmos, with cross-partition uniqueness of username and email. A unique key policy only
 * holds inside one logical partition, so each taken value is a claim document whose id is the
 * normalised value: creating it is the atomic "is it free?" test. Claims are made before the user
 * and removed if anything after them fails. Linked identities (device, OIDC subject, SteamID) are
 * claimed the same way, as "identity:<key>", so one identity belongs to at most one account.
 */
import type { Container } from '@azure/cosmos';
import { DomainError } from '../../core/kernel/errors.js';
import type { Page, PageRequest } from '../../core/kernel/paging.js';
import type { UniqueField, UserRepository } from '../../core/accounts/ports.js';
import { identitiesOf, isEmailLogin, normalizeEmail, normalizeUsername, type StoredUser } from '../../core/accounts/users.js';
import { pendingFields, type PendingFields } from './outbox.js';
import { cosmosStatus, createIfAbsent, deleteIfPresent, encodeCursor, fetchPage, isPossibleId, type CosmosHandle } from './client.js';

interface UserDocument extends Omit<StoredUser, 'etag' | 'pendingEvents'>, PendingFields {
  type: 'user';
  /** Normalised username and email, for prefix search. */
  usernameKey: string;
  emailKey: string;
  _etag?: string;
}

type ClaimField = UniqueField | 'identity';

interface ClaimDocument {
  id: string;
  field: ClaimField;
  userId: string;
  createdAt: string;
  _etag?: string;
}

/** A sign-up finishes in seconds; a claim this old whose user does not exist was left by a crash. */
const ORPHAN_CLAIM_AGE_MS = 60_000;

export function claimId(field: UniqueField, value: string): string {
  return `${field}:${field === 'username' ? normalizeUsername(value) : normalizeEmail(value)}`;
}

/** Identity keys are exact (hashes, provider subjects, SteamIDs): no case folding. */
export function identityClaimId(key: string): string {
  return `identity:${key}`;
}

/** Every claim the user holds: username, email when set, and each linked identity. */
function claimsOf(user: StoredUser): { field: ClaimField; id: string }[] {
  return [
    { field: 'username', id: claimId('username', user.username) },
    ...(user.email === null ? [] : [{ field: 'email' as const, id: claimId('email', user.email) }]),
    ...identitiesOf(user).map((identity) => ({ field: 'identity' as const, id: identityClaimId(identity.key) })),
  ];
}

function holds(user: StoredUser, claim: { field: ClaimField; id: string }): boolean {
  return claimsOf(user).some((c) => c.id === claim.id);
}

export function toUserDocument(user: StoredUser): UserDocument {
  const { etag: _etag, pendingEvents, ...fields } = user;
  return { ...fields, type: 'user', usernameKey: normalizeUsername(user.username), emailKey: user.email === null ? '' : normalizeEmail(user.email), ...pendingFields(pendingEvents) };
}

export function fromUserDocument(doc: UserDocument): StoredUser {
  return {
    id: doc.id,
    username: doc.username,
    email: doc.email,
    displayName: doc.displayName,
    avatarUrl: doc.avatarUrl,
    roles: doc.roles,
    status: doc.status,
    statusReason: doc.statusReason,
    statusUntil: doc.statusUntil,
    passwordHash: doc.passwordHash,
    ...(doc.emailVerified !== undefined ? { emailVerified: doc.emailVerified } : {}),
    ...(doc.pendingEmail !== undefined ? { pendingEmail: doc.pendingEmail } : {}),
    ...(doc.identities ? { identities: doc.identities } : {}),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc.pendingEvents ? { pendingEvents: doc.pendingEvents } : {}),
    ...(doc._etag ? { etag: doc._etag } : {}),
  };
}

function stale(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The user changed since you read it (If-Match does not match its ETag); read it again.');
}

function taken(field: ClaimField): DomainError {
  if (field === 'identity') return new DomainError('IDENTITY_TAKEN', 'This identity is already linked to another account.');
  const message = field === 'username' ? 'is already taken' : 'is already registered';
  return new DomainError('USER_EXISTS', 'An account with this username or email already exists.', {
    errors: [{ field, message }],
  });
}

export class CosmosUserRepository implements UserRepository {
  private readonly users: Container;
  private readonly claims: Container;

  constructor(
    cosmos: CosmosHandle,
    private readonly now: () => number = Date.now,
  ) {
    this.users = cosmos.container('users');
    this.claims = cosmos.container('claims');
  }

  async create(user: StoredUser): Promise<StoredUser> {
    const made: string[] = [];
    try {
      for (const { field, id } of claimsOf(user)) {
        await this.claim(field, id, user.id);
        made.push(id);
      }
      const { resource } = await this.users.items.create<UserDocument>(toUserDocument(user));
      if (!resource) throw new Error('Cosmos returned no document for a created user');
      return fromUserDocument(resource);
    } catch (error) {
      // Leave nothing half-made; a claim that cannot be removed now is reclaimed once orphaned.
      await Promise.allSettled(made.map((id) => this.claims.item(id, id).delete()));
      throw error;
    }
  }

  async findById(id: string): Promise<StoredUser | null> {
    // Ids arrive from paths: an id Cosmos cannot hold names no user.
    if (!isPossibleId(id)) return null;
    const { resource } = await this.users.item(id, id).read<UserDocument>();
    return resource ? fromUserDocument(resource) : null;
  }

  async findByLogin(login: string): Promise<StoredUser | null> {
    const field: UniqueField = isEmailLogin(login) ? 'email' : 'username';
    const id = claimId(field, login);
    // A login is any text up to 254 characters; one that cannot be a claim id names nobody.
    if (!isPossibleId(id)) return null;
    const { resource: claim } = await this.claims.item(id, id).read<ClaimDocument>();
    if (!claim) return null;
    const user = await this.findById(claim.userId);
    // A claim left behind by a changed email or a crash must not log anyone in.
    return user && user[field] !== null && claimId(field, user[field]) === id ? user : null;
  }

  async findByIdentity(key: string): Promise<StoredUser | null> {
    const id = identityClaimId(key);
    if (!isPossibleId(id)) return null;
    const { resource: claim } = await this.claims.item(id, id).read<ClaimDocument>();
    if (!claim) return null;
    const user = await this.findById(claim.userId);
    // A claim made by a link or sign-up that did not finish is nobody's.
    return user && identitiesOf(user).some((identity) => identity.key === key) ? user : null;
  }

  async isTaken(field: UniqueField, value: string): Promise<boolean> {
    const id = claimId(field, value);
    const { resource: claim } = await this.claims.item(id, id).read<ClaimDocument>();
    return claim !== undefined && !(await this.isOrphan(claim));
  }

  async update(user: StoredUser): Promise<StoredUser> {
    const { resource: current } = await this.users.item(user.id, user.id).read<UserDocument>();
    if (!current) throw new DomainError('NOT_FOUND', 'No such user.');
    if (!user.etag || current._etag !== user.etag) throw stale();
    // A changed username or email and newly linked identities are claimed before the write and the
    // old claims released after it: at every moment a value is held by exactly one account.
    const before = claimsOf(fromUserDocument(current));
    const after = claimsOf(user);
    const added = after.filter((c) => !before.some((b) => b.id === c.id));
    const removed = before.filter((c) => !after.some((a) => a.id === c.id));
    const made: string[] = [];
    try {
      for (const { field, id } of added) {
        await this.claim(field, id, user.id);
        made.push(id);
      }
      const { resource } = await this.users
        .item(user.id, user.id)
        .replace<UserDocument>(toUserDocument(user), { accessCondition: { type: 'IfMatch', condition: user.etag } });
      if (!resource) throw new Error('Cosmos returned no document for a replaced user');
      for (const { id } of removed) await this.release(id, user.id);
      return fromUserDocument(resource);
    } catch (error) {
      for (const id of made) await this.release(id, user.id);
      if (cosmosStatus(error) === 412) throw stale();
      throw error;
    }
  }

  async delete(user: StoredUser): Promise<void> {
    await deleteIfPresent(this.users, user.id, user.id);
    // Released after the user is gone: a crash in between leaves orphans, which sign-up reclaims.
    for (const { id } of claimsOf(user)) await this.release(id, user.id);
  }

  async search(prefix: string, page: PageRequest): Promise<Page<StoredUser>> {
    const key = prefix.trim().toLowerCase();
    const response = await fetchPage(page.cursor, (continuationToken) =>
      this.users.items
        .query<UserDocument>(
          {
            query:
              "SELECT * FROM c WHERE c.type = 'user' AND (STARTSWITH(c.usernameKey, @prefix) OR STARTSWITH(c.emailKey, @prefix)) ORDER BY c.usernameKey",
            parameters: [{ name: '@prefix', value: key }],
          },
          { maxItemCount: page.limit, continuationToken },
        )
        .fetchNext(),
    );
    return { items: response.resources.map(fromUserDocument), cursor: encodeCursor(response.continuationToken) };
  }

  async markOnce(name: string): Promise<boolean> {
    const id = `once:${name}`;
    return createIfAbsent(this.claims, { id, createdAt: new Date(this.now()).toISOString() });
  }

  /** Removes a claim if it still belongs to this user. */
  private async release(id: string, userId: string): Promise<void> {
    const { resource } = await this.claims.item(id, id).read<ClaimDocument>();
    if (resource?.userId !== userId || !resource._etag) return;
    try {
      await this.claims.item(id, id).delete({ accessCondition: { type: 'IfMatch', condition: resource._etag } });
    } catch (error) {
      if (cosmosStatus(error) !== 404 && cosmosStatus(error) !== 412) throw error;
    }
  }

  /** Creates the claim, or takes over an orphaned one; throws USER_EXISTS if someone holds it. */
  private async claim(field: ClaimField, id: string, userId: string): Promise<void> {
    const claim: ClaimDocument = { id, field, userId, createdAt: new Date(this.now()).toISOString() };
    if (await createIfAbsent(this.claims, claim)) return;
    const { resource: existing } = await this.claims.item(id, id).read<ClaimDocument>();
    // Left by this user's own earlier attempt that failed after claiming: it is theirs already.
    if (existing?.userId === userId) return;
    if (existing?._etag && (await this.isOrphan(existing))) {
      try {
        // The etag makes this a compare-and-swap: of two sign-ups reclaiming it, one wins.
        await this.claims.item(id, id).replace(claim, { accessCondition: { type: 'IfMatch', condition: existing._etag } });
        return;
      } catch (error) {
        if (cosmosStatus(error) !== 412) throw error;
      }
    }
    throw taken(field);
  }

  private async isOrphan(claim: ClaimDocument): Promise<boolean> {
    if (this.now() - Date.parse(claim.createdAt) < ORPHAN_CLAIM_AGE_MS) return false;
    const user = await this.findById(claim.userId);
    return user === null || !holds(user, claim);
  }
}
