/** What the account use cases need from storage and hashing. */
import type { Page, PageRequest } from '../kernel/paging.js';
import type { PublicUserView, StoredUser } from './users.js';

/**
 * Other players' public profiles, read through a cache (GET /api/users/{id} for other players):
 * only the public fields are kept, never the record. Dropped when the profile changes.
 */
export interface PublicProfiles {
  /** The public view and the record's etag; null when no such user exists. */
  get(userId: string): Promise<{ profile: PublicUserView; etag: string | undefined } | null>;
  invalidate(userId: string): Promise<void>;
}

/** Usernames for listings (leaderboards, who is online): the same read-through cache, one read per page. */
export interface ProfileNames {
  /** The usernames of those that exist; ids of no user are left out. */
  usernames(userIds: string[]): Promise<Map<string, string>>;
  invalidate(userId: string): Promise<void>;
}

export type UniqueField = 'username' | 'email';

export interface UserRepository {
  /**
   * Claims the username, email and every linked identity, then stores the user. Throws USER_EXISTS
   * naming the field, or IDENTITY_TAKEN when an identity belongs to another account.
   */
  create(user: StoredUser): Promise<StoredUser>;
  findById(id: string): Promise<StoredUser | null>;
  /** The account an identity key (LinkedIdentity.key) is linked to. */
  findByIdentity(key: string): Promise<StoredUser | null>;
  /** Looks a user up by username or email, case-insensitively. */
  findByLogin(login: string): Promise<StoredUser | null>;
  /** A cheap early check; create() is still the authority under concurrency. */
  isTaken(field: UniqueField, value: string): Promise<boolean>;
  /**
   * Writes the user if its stored etag is still `user.etag` (PRECONDITION_FAILED otherwise). A
   * changed username or email and newly linked identities are claimed first (USER_EXISTS,
   * IDENTITY_TAKEN) and the old claims released after.
   */
  update(user: StoredUser): Promise<StoredUser>;
  /** Removes the user and releases their username, email and identities. */
  delete(user: StoredUser): Promise<void>;
  /** Users whose username or email starts with the prefix, by username. */
  search(prefix: string, page: PageRequest): Promise<Page<StoredUser>>;
  /** Records a one-time event (like the first admin); false if it was already recorded. */
  markOnce(name: string): Promise<boolean>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Verifies against a hash of the configured cost, so an unknown user takes as long as a known one. */
  verifyDummy(password: string): Promise<void>;
  /** True when the hash was made at a lower cost than is configured now. */
  needsRehash(hash: string): boolean;
}
