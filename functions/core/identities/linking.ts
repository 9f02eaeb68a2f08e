/**
 * A player's linked identities: listing, linking one (proved as at sign-in) and unlinking one,
 * never the last way in. Writes go through the user's etag, so concurrent changes serialise.
 */
import { requirePlayer, type Caller } from '../kernel/caller.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { tooManyRequests } from '../kernel/rate-limits.js';
import { identitiesOf, type LinkedIdentity, type StoredUser } from '../accounts/users.js';
import type { IdentityDeps } from './deps.js';
import { prove, type Proof } from './proofs.js';
import { newLink } from './sign-in.js';

export type IdentityView = Omit<LinkedIdentity, 'key'>;

export interface IdentityList {
  items: IdentityView[];
  /** Whether the account can also sign in with a password. */
  hasPassword: boolean;
}

function toIdentityView({ key: _key, ...view }: LinkedIdentity): IdentityView {
  return view;
}

async function ownAccount(deps: Pick<IdentityDeps, 'users'>, caller: Caller): Promise<StoredUser> {
  const user = await deps.users.findById(requirePlayer(caller));
  if (!user) throw new DomainError('UNAUTHENTICATED', 'The account behind this token no longer exists.');
  return user;
}

export async function listIdentities(deps: Pick<IdentityDeps, 'users'>, caller: Caller): Promise<IdentityList> {
  const user = await ownAccount(deps, caller);
  return { items: identitiesOf(user).map(toIdentityView), hasPassword: user.passwordHash !== null };
}

/** Links the proved identity; linking one already linked here answers it again (created: false). */
export async function linkIdentity(deps: IdentityDeps, caller: Caller, proof: Proof): Promise<{ identity: IdentityView; created: boolean }> {
  let user = await ownAccount(deps, caller);
  // Failed proofs count against the account like failed password checks: a link must not be a way to guess device ids.
  const state = await deps.rateLimiter.consume(deps.limits.loginPerAccount, user.id);
  if (!state.allowed) throw tooManyRequests(state.retryAfterSeconds, 'Too many failed attempts; try again later.');
  const proven = await prove(deps, proof);
  await deps.rateLimiter.release(deps.limits.loginPerAccount, user.id);
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = identitiesOf(user).find((i) => i.key === proven.key);
    if (existing) return { identity: toIdentityView(existing), created: false };
    const link = newLink(deps, proven);
    try {
      await deps.users.update({ ...user, identities: [...identitiesOf(user), link], updatedAt: new Date(deps.clock.now()).toISOString() });
      return { identity: toIdentityView(link), created: true };
    } catch (error) {
      if (!isDomainError(error, 'PRECONDITION_FAILED')) throw error;
      user = await ownAccount(deps, caller);
    }
  }
  throw new DomainError('CONFLICT', 'The account kept changing while linking; try again.');
}

/** Unlinks one identity, refused when the account would be left with no way to sign in. */
export async function unlinkIdentity(deps: IdentityDeps, caller: Caller, identityId: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await ownAccount(deps, caller);
    const identities = identitiesOf(user);
    if (!identities.some((i) => i.id === identityId)) throw new DomainError('NOT_FOUND', 'No such linked identity.');
    const remaining = identities.filter((i) => i.id !== identityId);
    if (remaining.length === 0 && user.passwordHash === null) {
      throw new DomainError('CONFLICT', 'This is the account\'s only way to sign in: set a password or link another identity first.');
    }
    try {
      await deps.users.update({ ...user, identities: remaining, updatedAt: new Date(deps.clock.now()).toISOString() });
      return;
    } catch (error) {
      // Another link or unlink landed first: decide again on the fresh account.
      if (!isDomainError(error, 'PRECONDITION_FAILED')) throw error;
    }
  }
  throw new DomainError('CONFLICT', 'The account kept changing while unlinking; try again.');
}
