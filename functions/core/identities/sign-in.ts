/**
 * Sign-in with a linked identity: the same throttling, status checks, session, tokens and
 * userLogin event as password login, whichever door the player comes through.
 */
import { randomBytes } from 'node:crypto';
import { refuseIfChangedMeanwhile } from '../accounts/accounts.js';
import { isActive, type LinkedIdentity, type StoredUser } from '../accounts/users.js';
import { userEvent } from '../events/events.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import { tooManyRequests } from '../kernel/rate-limits.js';
import { openSession, type TokenGrant } from '../sessions/sessions.js';
import type { SessionOrigin } from '../sessions/session.js';
import type { IdentityDeps } from './deps.js';
import { prove, type Proof, type ProvenIdentity } from './proofs.js';

/** One answer for an identity linked to nobody and for a suspended or banned account. */
function noAccount(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'No account can sign in with this identity.');
}

export interface IdentitySignIn {
  grant: TokenGrant;
  /** True when this sign-in made the account. */
  created: boolean;
}

export function newLink(deps: Pick<IdentityDeps, 'newId' | 'clock'>, proven: ProvenIdentity): LinkedIdentity {
  return {
    id: deps.newId(),
    method: proven.method,
    key: proven.key,
    provider: proven.provider,
    subject: proven.subject,
    linkedAt: new Date(deps.clock.now()).toISOString(),
  };
}

export async function signInWithIdentity(
  deps: IdentityDeps,
  proof: Proof & { create?: boolean },
  origin: SessionOrigin,
  clientLabel: string | undefined,
): Promise<IdentitySignIn> {
  const { loginPerAccount, loginPerIp } = deps.limits;
  // Counted before the proof is checked, as at password login; a success gives the count back.
  const ip = origin.ip === null ? null : await deps.rateLimiter.consume(loginPerIp, origin.ip);
  if (ip !== null && !ip.allowed) throw tooManyRequests(ip.retryAfterSeconds, 'Too many failed logins; try again later.');
  const proven = await prove(deps, proof, proof.create === true);
  const account = await deps.rateLimiter.consume(loginPerAccount, proven.key);
  if (!account.allowed) throw tooManyRequests(account.retryAfterSeconds, 'Too many failed logins; try again later.');

  let user = await deps.users.findByIdentity(proven.key);
  let created = false;
  if (user === null && proven.allowCreate) {
    user = await createAccount(deps, proven);
    created = user !== null;
    // Another sign-in with the same identity made the account first: sign in to that one.
    user ??= await findAfterRace(deps, proven.key);
  }
  if (user === null || !isActive(user, deps.clock.now())) throw noAccount();

  await Promise.all([deps.rateLimiter.reset(loginPerAccount, proven.key), origin.ip === null ? null : deps.rateLimiter.release(loginPerIp, origin.ip)]);
  if (created) {
    await deps.events.emit([userEvent(deps.newId(), 'userSignUp', { userId: user.id, timestamp: user.createdAt, userDetails: { username: user.username, email: user.email } })]);
  }
  // The login event is part of the new session document, as for password login.
  const loginEvent = userEvent(deps.newId(), 'userLogin', { userId: user.id, timestamp: new Date(deps.clock.now()).toISOString(), method: proven.method });
  const grant = await openSession(deps, user, { ...origin, clientLabel: clientLabel ?? origin.clientLabel }, [loginEvent]);
  await refuseIfChangedMeanwhile(deps, user, grant.sessionId, loginEvent.id);
  await deps.events.deliver([loginEvent], { kind: 'session', id: grant.sessionId, partition: user.id });
  return { grant, created };
}

/** "player_" and ten random base-32 characters: unique enough that a retry is rare, renameable later. */
export function generatedUsername(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `player_${[...randomBytes(10)].map((b) => alphabet[b % 32]).join('')}`;
}

/** A new account holding only this identity; null when another account claimed it meanwhile. */
async function createAccount(deps: IdentityDeps, proven: ProvenIdentity): Promise<StoredUser | null> {
  const now = new Date(deps.clock.now()).toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const username = generatedUsername();
    try {
      return await deps.users.create({
        id: deps.newId(),
        username,
        email: null,
        displayName: username,
        avatarUrl: null,
        roles: ['player'],
        status: 'active',
        statusReason: null,
        statusUntil: null,
        passwordHash: null,
        identities: [newLink(deps, proven)],
        createdAt: now,
        updatedAt: now,
      });
    } catch (error) {
      if (isDomainError(error, 'IDENTITY_TAKEN')) return null;
      if (!isDomainError(error, 'USER_EXISTS')) throw error;
    }
  }
  throw new DomainError('CONFLICT', 'Could not find a free username; try again.');
}

/** The winner of a concurrent creation may still be writing its user: look a few times. */
async function findAfterRace(deps: IdentityDeps, key: string): Promise<StoredUser> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const user = await deps.users.findByIdentity(key);
    if (user) return user;
    await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
  }
  throw new DomainError('CONFLICT', 'Another sign-in with this identity is making its account; try again.');
}
