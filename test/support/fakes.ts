/** Small in-memory fakes of the core's ports, for unit tests of the use cases only. */
import type { AccountDeps } from '../../functions/core/accounts/deps.js';
import type { MailRequest } from '../../functions/core/email/delivery.js';
import type { CounterName, Counters } from '../../functions/core/metrics/metrics.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import type { AccessTokenClaims, AccessTokens, AccessTokenSubject, SessionRepository, TokenRevocations } from '../../functions/core/sessions/ports.js';
import type { Page, PageRequest } from '../../functions/core/kernel/paging.js';
import type { PasswordHasher, UniqueField, UserRepository } from '../../functions/core/accounts/ports.js';
import type { RateLimit, RateLimiter, RateLimitState } from '../../functions/core/kernel/rate-limits.js';
import type { EventSink } from '../../functions/core/events/outbox.js';
import type { UserEvent } from '../../functions/core/events/events.js';
import type { SessionRecord } from '../../functions/core/sessions/session.js';
import { identitiesOf, normalizeEmail, normalizeUsername, type StoredUser } from '../../functions/core/accounts/users.js';

let etags = 0;
const nextEtag = () => `"${++etags}"`;

export class FakeUsers implements UserRepository {
  readonly byId = new Map<string, StoredUser>();
  readonly marks = new Set<string>();

  async create(user: StoredUser): Promise<StoredUser> {
    for (const field of ['username', 'email'] as const) {
      const value = user[field];
      if (value !== null && (await this.isTaken(field, value))) {
        throw new DomainError('USER_EXISTS', 'exists', { errors: [{ field, message: 'is already taken' }] });
      }
    }
    this.refuseTakenIdentities(user);
    const stored = { ...user, etag: nextEtag() };
    this.byId.set(user.id, stored);
    return stored;
  }

  async findById(id: string): Promise<StoredUser | null> {
    return this.byId.get(id) ?? null;
  }

  async findByLogin(login: string): Promise<StoredUser | null> {
    const wanted = login.includes('@') ? normalizeEmail(login) : normalizeUsername(login);
    for (const user of this.byId.values()) {
      if ((user.email !== null && normalizeEmail(user.email) === wanted) || normalizeUsername(user.username) === wanted) return user;
    }
    return null;
  }

  async findByIdentity(key: string): Promise<StoredUser | null> {
    return [...this.byId.values()].find((u) => identitiesOf(u).some((i) => i.key === key)) ?? null;
  }

  async isTaken(field: UniqueField, value: string): Promise<boolean> {
    const normalize = field === 'email' ? normalizeEmail : normalizeUsername;
    return [...this.byId.values()].some((u) => u[field] !== null && normalize(u[field]) === normalize(value));
  }

  private refuseTakenIdentities(user: StoredUser): void {
    for (const identity of identitiesOf(user)) {
      const owner = [...this.byId.values()].find((u) => u.id !== user.id && identitiesOf(u).some((i) => i.key === identity.key));
      if (owner) throw new DomainError('IDENTITY_TAKEN', 'taken');
    }
  }

  async update(user: StoredUser): Promise<StoredUser> {
    const current = this.byId.get(user.id);
    if (!current) throw new DomainError('NOT_FOUND', 'no user');
    if (current.etag !== user.etag) throw new DomainError('PRECONDITION_FAILED', 'stale');
    this.refuseTakenIdentities(user);
    for (const field of ['username', 'email'] as const) {
      const normalize = field === 'email' ? normalizeEmail : normalizeUsername;
      const value = user[field];
      const takenByOther = value !== null && [...this.byId.values()].some((u) => u.id !== user.id && u[field] !== null && normalize(u[field]) === normalize(value));
      if (takenByOther) throw new DomainError('USER_EXISTS', 'exists', { errors: [{ field, message: 'is already taken' }] });
    }
    const stored = { ...user, etag: nextEtag() };
    this.byId.set(user.id, stored);
    return stored;
  }

  async delete(user: StoredUser): Promise<void> {
    this.byId.delete(user.id);
  }

  async search(prefix: string, page: PageRequest): Promise<Page<StoredUser>> {
    const items = [...this.byId.values()].filter((u) => normalizeUsername(u.username).startsWith(prefix.toLowerCase()));
    return { items: items.slice(0, page.limit), cursor: null };
  }

  async markOnce(name: string): Promise<boolean> {
    if (this.marks.has(name)) return false;
    this.marks.add(name);
    return true;
  }
}

export class FakeSessions implements SessionRepository {
  readonly all: SessionRecord[] = [];

  async create(session: SessionRecord): Promise<SessionRecord> {
    const stored = { ...session, etag: nextEtag() };
    this.all.push(stored);
    return stored;
  }

  async get(userId: string, sessionId: string): Promise<SessionRecord | null> {
    return this.all.find((s) => s.userId === userId && s.id === sessionId) ?? null;
  }

  async replaceIfUnchanged(session: SessionRecord): Promise<SessionRecord | null> {
    const index = this.all.findIndex((s) => s.userId === session.userId && s.id === session.id);
    if (index === -1 || this.all[index]?.etag !== session.etag) return null;
    const stored = { ...session, etag: nextEtag() };
    this.all[index] = stored;
    return stored;
  }

  async listByUser(userId: string, page: PageRequest): Promise<Page<SessionRecord>> {
    const items = this.all.filter((s) => s.userId === userId && s.revokedAt === null);
    return { items: items.slice(0, page.limit), cursor: null };
  }

  async allOfUser(userId: string): Promise<SessionRecord[]> {
    return this.all.filter((s) => s.userId === userId);
  }

  async deleteAllOfUser(userId: string): Promise<void> {
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i]?.userId === userId) this.all.splice(i, 1);
  }
}

/** Records every call, so a test can prove which comparisons a use case made. */
export class FakeHasher implements PasswordHasher {
  readonly calls: string[] = [];
  async hash(password: string): Promise<string> {
    this.calls.push('hash');
    return `hashed:${password}`;
  }
  async verify(password: string, hash: string): Promise<boolean> {
    this.calls.push('verify');
    return hash === `hashed:${password}`;
  }
  async verifyDummy(): Promise<void> {
    this.calls.push('verifyDummy');
  }
  /** Hashes a test declares made at an older cost. */
  readonly outdated = new Set<string>();
  needsRehash(hash: string): boolean {
    return this.outdated.has(hash);
  }
}

export class FakeTokens implements AccessTokens {
  readonly issued: AccessTokenSubject[] = [];
  async issue(subject: AccessTokenSubject) {
    this.issued.push(subject);
    return {
      token: `token-${this.issued.length}-for-${subject.userId}`,
      expiresIn: 900,
      claims: { sub: subject.userId, sid: subject.sessionId, roles: subject.roles, username: subject.username, jti: 'j', iat: 0, exp: 900 },
    };
  }
  async verify(): Promise<never> {
    throw new DomainError('UNAUTHENTICATED', 'fake');
  }
}

export class FakeRevocations implements TokenRevocations {
  readonly sessions = new Set<string>();
  readonly users = new Set<string>();
  async revokeSessions(ids: string[]): Promise<void> {
    for (const id of ids) this.sessions.add(id);
  }
  async revokeUser(userId: string): Promise<void> {
    this.users.add(userId);
  }
  async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    return this.users.has(claims.sub) || (claims.sid !== null && this.sessions.has(claims.sid));
  }
  async readyToIssue(): Promise<void> {}
}

/** Counts per limit and key in memory; every consume is recorded in `calls`. */
export class FakeRateLimiter implements RateLimiter {
  readonly counts = new Map<string, number>();
  readonly calls: string[] = [];
  /** retryAfterSeconds: what a refusal says; by default the limit's whole window. */
  constructor(private readonly retryAfterSeconds?: number) {}
  private state(limit: RateLimit, count: number): RateLimitState {
    return { count, allowed: count <= limit.max, retryAfterSeconds: this.retryAfterSeconds ?? (count > 0 ? limit.windowSeconds : 0) };
  }
  async consume(limit: RateLimit, key: string): Promise<RateLimitState> {
    const k = `${limit.name}:${key}`;
    this.calls.push(k);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    return this.state(limit, this.counts.get(k) ?? 0);
  }
  async check(limit: RateLimit, key: string): Promise<RateLimitState> {
    return this.state(limit, this.counts.get(`${limit.name}:${key}`) ?? 0);
  }
  async reset(limit: RateLimit, key: string): Promise<void> {
    this.counts.delete(`${limit.name}:${key}`);
  }
  async release(limit: RateLimit, key: string): Promise<void> {
    const k = `${limit.name}:${key}`;
    const count = this.counts.get(k) ?? 0;
    if (count > 0) this.counts.set(k, count - 1);
  }
}

export class FakeEvents implements EventSink {
  readonly emitted: UserEvent[] = [];
  async emit(events: UserEvent[]): Promise<void> {
    this.emitted.push(...events);
  }
  async deliver(events: UserEvent[]): Promise<void> {
    this.emitted.push(...events);
  }
  types(): string[] {
    return this.emitted.map((e) => e.type);
  }
}

export class FakeCounters implements Counters {
  readonly counts = new Map<CounterName, number>();
  add(name: CounterName, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }
}

/** A full set of fakes with a clock the test can move. */
export function fakeDeps(startMs = Date.parse('2026-01-01T00:00:00Z')) {
  let id = 0;
  const clock = { ms: startMs, now() { return this.ms; } };
  /** The mails the use cases asked for, in order. */
  const requestedMails: MailRequest[] = [];
  const deps = {
    users: new FakeUsers(),
    sessions: new FakeSessions(),
    hasher: new FakeHasher(),
    tokens: new FakeTokens(),
    revocations: new FakeRevocations(),
    rateLimiter: new FakeRateLimiter(),
    events: new FakeEvents(),
    counters: new FakeCounters(),
    clock,
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
    sessionPolicy: { absoluteTtlSeconds: 3600, idleTtlSeconds: 1800, reuseGraceSeconds: 10 },
    limits: {
      loginPerAccount: { name: 'login-account', max: 3, windowSeconds: 900 },
      loginPerIp: { name: 'login-ip', max: 100, windowSeconds: 900 },
      signUpPerIp: { name: 'signup-ip', max: 100, windowSeconds: 3600 },
      refreshPerIp: { name: 'refresh-ip', max: 1000, windowSeconds: 900 },
      serviceTokenPerIp: { name: 'service-token-ip', max: 100, windowSeconds: 60 },
    },
    serviceClients: async () => [],
    adminBootstrapToken: async (): Promise<string | undefined> => undefined,
    async requestMails(requests: MailRequest[]) {
      requestedMails.push(...requests);
    },
    requireVerifiedEmail: false,
    lifecycle: [],
  } satisfies AccountDeps;
  return Object.assign(deps, { requestedMails });
}
