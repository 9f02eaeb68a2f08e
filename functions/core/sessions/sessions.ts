/** Opening, refreshing and ending sessions: refresh-token rotation with reuse detection. */
import type { SessionDeps } from './deps.js';
import { DomainError } from '../kernel/errors.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import {
  decideRefresh,
  isLive,
  newRefreshToken,
  newSession,
  parseRefreshToken,
  revoked,
  rotated,
  toSessionView,
  type SessionOrigin,
  type SessionRecord,
  type SessionView,
} from './session.js';
import { userEvent, type UserEvent } from '../events/events.js';
import { pendingEvents } from '../events/outbox.js';
import { enforce } from '../kernel/rate-limits.js';
import { isActive, toUserView, type StoredUser, type UserView } from '../accounts/users.js';

export interface TokenGrant {
  user: UserView;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** One answer for every refusal, so a probe learns nothing about the session behind a token. */
function invalidRefreshToken(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'The refresh token is invalid, expired or revoked; log in again.');
}

/** @param accountReadAtMs when `user` was read, by a caller that waited for readyToIssue before reading it. */
async function grant(deps: SessionDeps, user: StoredUser, sessionId: string, refreshToken: string, accountReadAtMs?: number): Promise<TokenGrant> {
  if (accountReadAtMs === undefined) await deps.revocations.readyToIssue();
  const access = await deps.tokens.issue({
    userId: user.id,
    sessionId,
    roles: user.roles,
    username: user.username,
    emailVerified: user.emailVerified === true,
    ...(accountReadAtMs === undefined ? {} : { accountReadAtMs }),
  });
  return { user: toUserView(user), sessionId, accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn };
}

/** Opens a session; `events` (the login) are written inside the new session document, atomically with it. */
export async function openSession(deps: SessionDeps, user: StoredUser, origin: SessionOrigin, events: UserEvent[] = []): Promise<TokenGrant> {
  const sessionId = deps.newId();
  const refreshToken = newRefreshToken(user.id, sessionId);
  const now = deps.clock.now();
  const session = newSession({ sessionId, userId: user.id }, origin, refreshToken, now, deps.sessionPolicy.absoluteTtlSeconds);
  await deps.sessions.create(events.length > 0 ? { ...session, pendingEvents: pendingEvents(events, now) } : session);
  return grant(deps, user, sessionId, refreshToken);
}

/** How ending a session changes its pending events: adds the logout, or withdraws a login it refuses. */
interface EndingEvents {
  add?: (session: SessionRecord) => UserEvent;
  withdrawId?: string;
}

/** Ends sessions: their refresh tokens stop working and so do their outstanding access tokens. */
async function endSessions(deps: SessionDeps, sessions: SessionRecord[], reason: string, events: EndingEvents = {}): Promise<void> {
  const now = deps.clock.now();
  const live = sessions.filter((s) => s.revokedAt === null);
  await deps.revocations.revokeSessions(live.map((s) => s.id));
  for (const session of live) {
    const added = events.add ? [events.add(session)] : [];
    // A concurrent refresh may win the write; retry on the fresh copy until it is revoked.
    let current: SessionRecord | null = session;
    while (current && current.revokedAt === null) {
      const kept = (current.pendingEvents ?? []).filter((p) => p.event.id !== events.withdrawId);
      const ending = { ...revoked(current, now, reason), pendingEvents: [...kept, ...pendingEvents(added, now)] };
      if (await deps.sessions.replaceIfUnchanged(ending)) {
        // The ending's event went in with the revocation itself: published now, or by the relay.
        await deps.events.deliver(added, { kind: 'session', id: session.id, partition: session.userId });
        break;
      }
      current = await deps.sessions.get(session.userId, session.id);
    }
  }
}

/** Ends one session if it is still live (returns 1, else 0); its access tokens are denied either way. */
export async function endSessionById(deps: SessionDeps, userId: string, sessionId: string, reason: string, events: EndingEvents = {}): Promise<number> {
  const session = await deps.sessions.get(userId, sessionId);
  if (session) {
    await endSessions(deps, [session], reason, events);
    return session.revokedAt === null ? 1 : 0;
  }
  await deps.revocations.revokeSessions([sessionId]);
  return 0;
}

export async function refresh(deps: SessionDeps, refreshToken: string, ip: string | null): Promise<TokenGrant> {
  await enforce(deps.rateLimiter, deps.limits.refreshPerIp, ip);
  const ids = parseRefreshToken(refreshToken);
  if (!ids) throw invalidRefreshToken();
  // Two tries: a concurrent refresh of the same token makes our write lose, and the re-read then
  // sees our token as the just-retired one, which the grace window answers with the same successor.
  for (let attempt = 0; attempt < 3; attempt++) {
    const session = await deps.sessions.get(ids.userId, ids.sessionId);
    if (!session) throw invalidRefreshToken();
    const now = deps.clock.now();
    const decision = decideRefresh(session, refreshToken, now, deps.sessionPolicy);
    if (decision.kind === 'refuse') throw invalidRefreshToken();
    if (decision.kind === 'replay') {
      await endSessions(deps, [session], 'refresh-token-reuse');
      throw invalidRefreshToken();
    }
    // The new access token is dated from this read of the account, not from its signature: a
    // demotion or deletion that lands after the read takes its per-user cutoff later still, and the
    // token falls under it. Hence the deny list's readiness is checked before the read.
    await deps.revocations.readyToIssue();
    const accountReadAt = deps.clock.now();
    const user = await deps.users.findById(ids.userId);
    if (!user || !isActive(user, now)) {
      await endSessions(deps, [session], 'account-disabled');
      throw invalidRefreshToken();
    }
    if (decision.kind === 'retry') return grant(deps, user, session.id, decision.successor, accountReadAt);
    const successor = newRefreshToken(ids.userId, ids.sessionId);
    if (await deps.sessions.replaceIfUnchanged(rotated(session, refreshToken, successor, now))) {
      deps.counters.add('tokensRefreshed');
      return grant(deps, user, session.id, successor, accountReadAt);
    }
  }
  throw new DomainError('CONFLICT', 'The session changed while refreshing; try again.');
}

export async function logOut(deps: SessionDeps, userId: string, sessionId: string | null): Promise<void> {
  if (sessionId === null) return;
  // Once per session: the logout event is written by the write that revokes the session, so
  // logging out of an already-ended session is not another logout, and no crash can split them.
  await endSessionById(deps, userId, sessionId, 'logout', {
    add: () => userEvent(deps.newId(), 'userLogout', { userId, timestamp: new Date(deps.clock.now()).toISOString() }),
  });
}

export async function listSessions(deps: SessionDeps, userId: string, currentSessionId: string | null, page: PageRequest): Promise<Page<SessionView>> {
  const now = deps.clock.now();
  const found = await deps.sessions.listByUser(userId, page);
  return {
    items: found.items.filter((s) => isLive(s, now, deps.sessionPolicy)).map((s) => toSessionView(s, currentSessionId, deps.sessionPolicy)),
    cursor: found.cursor,
  };
}

export async function endSession(deps: SessionDeps, userId: string, sessionId: string, reason = 'ended-by-owner'): Promise<void> {
  const session = await deps.sessions.get(userId, sessionId);
  if (!session || !isLive(session, deps.clock.now(), deps.sessionPolicy)) {
    throw new DomainError('NOT_FOUND', 'No such session.');
  }
  await endSessions(deps, [session], reason);
}

/** Ends every session of the user except one (the caller's own, when given). Returns how many. */
export async function endOtherSessions(deps: SessionDeps, userId: string, keepSessionId: string | null, reason: string): Promise<number> {
  const sessions = await deps.sessions.allOfUser(userId);
  const ending = sessions.filter((s) => s.id !== keepSessionId && s.revokedAt === null);
  await endSessions(deps, ending, reason);
  return ending.length;
}
