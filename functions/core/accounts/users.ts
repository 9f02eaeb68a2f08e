/** The player account: what is stored, what the owner sees, what everyone else sees. */
import type { Role } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { PendingEvent } from '../events/outbox.js';

export { ACCOUNT_STATUSES, type AccountStatus } from './statuses.js';
import type { AccountStatus } from './statuses.js';

/** How an account can sign in besides a password; `key` is what its uniqueness claim is made on. */
export const IDENTITY_METHODS = ['device', 'oidc', 'steam'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export interface LinkedIdentity {
  /** Names the link in /api/me/identities/{id}. */
  id: string;
  method: IdentityMethod;
  /** "device:<keyed hash>", "oidc:<provider>:<sub>" or "steam:<SteamID64>": one account per key. */
  key: string;
  /** The OIDC provider's configured name; null for device and Steam. */
  provider: string | null;
  /** What the owner may see of it: the provider's subject, the SteamID, or null for a device. */
  subject: string | null;
  linkedAt: string;
}

export interface StoredUser {
  id: string;
  username: string;
  /** Null for an account made by a device or provider sign-in until its owner adds one. */
  email: string | null;
  displayName: string;
  avatarUrl: string | null;
  roles: Role[];
  status: AccountStatus;
  /** Why an admin changed the status; shown to admins only. */
  statusReason: string | null;
  /** When a suspension ends on its own (ISO 8601); null for permanent states. */
  statusUntil: string | null;
  /** Null when the account signs in only with linked identities. */
  passwordHash: string | null;
  /** Absent on accounts stored before identities existed: none. */
  identities?: LinkedIdentity[];
  /** True once the address was confirmed from a mailed link; absent on accounts made before verification existed. */
  emailVerified?: boolean;
  /** An address the owner asked to move to, waiting for its confirmation link. */
  pendingEmail?: string | null;
  createdAt: string;
  updatedAt: string;
  /** The sign-up event until it is published: written with the user itself. */
  pendingEvents?: PendingEvent[];
  /** Concurrency token of the stored document; absent before the first write. */
  etag?: string;
}

/** What the owner and admins see: everything but secrets and storage details. */
export type UserView = Pick<StoredUser, 'id' | 'username' | 'email' | 'displayName' | 'avatarUrl' | 'roles' | 'status' | 'createdAt' | 'updatedAt'> & {
  emailVerified: boolean;
  pendingEmail: string | null;
};

/** What any authenticated caller may see of another player. */
export interface PublicUserView {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
  createdAt: string;
}

export function toUserView(user: StoredUser): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified === true,
    pendingEmail: user.pendingEmail ?? null,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    roles: [...user.roles],
    status: user.status,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function toPublicUserView(user: StoredUser): PublicUserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    createdAt: user.createdAt,
  };
}

/** Usernames and emails are unique case-insensitively; this is the form uniqueness is checked on. */
export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function identitiesOf(user: StoredUser): LinkedIdentity[] {
  return user.identities ?? [];
}

/** A login is an email when it has an "@": usernames cannot contain one. */
export function isEmailLogin(login: string): boolean {
  return login.includes('@');
}

/** A suspension with an end date is over once that date has passed. */
export function isActive(user: StoredUser, nowMs: number): boolean {
  if (user.status === 'active') return true;
  if (user.status === 'suspended' && user.statusUntil !== null) {
    return Date.parse(user.statusUntil) <= nowMs;
  }
  return false;
}

/** What admins see beyond the owner's view: why the account is in its state. */
export interface AdminUserView extends UserView {
  statusReason: string | null;
  statusUntil: string | null;
}

export function toAdminUserView(user: StoredUser): AdminUserView {
  return { ...toUserView(user), statusReason: user.statusReason, statusUntil: user.statusUntil };
}

/** The one answer for a user id that names nobody (or that the caller may not know exists). */
export function userNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such user.');
}
