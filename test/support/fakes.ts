/** Small in-memory fakes of the core's ports, for unit tests of the use cases only. */
import { DomainError } from '../../functions/core/errors.js';
import type { AccessTokens, AccessTokenSubject, PasswordHasher, SessionRepository, UniqueField, UserRepository } from '../../functions/core/ports.js';
import type { SessionRecord } from '../../functions/core/sessions.js';
import { normalizeEmail, normalizeUsername, type StoredUser } from '../../functions/core/users.js';

export class FakeUsers implements UserRepository {
  readonly byId = new Map<string, StoredUser>();

  async create(user: StoredUser): Promise<StoredUser> {
    for (const field of ['username', 'email'] as const) {
      if (await this.isTaken(field, user[field])) {
        throw new DomainError('USER_EXISTS', 'exists', { errors: [{ field, message: 'is already taken' }] });
      }
    }
    this.byId.set(user.id, { ...user, etag: '"1"' });
    return { ...user, etag: '"1"' };
  }

  async findById(id: string): Promise<StoredUser | null> {
    return this.byId.get(id) ?? null;
  }

  async findByLogin(login: string): Promise<StoredUser | null> {
    const wanted = login.includes('@') ? normalizeEmail(login) : normalizeUsername(login);
    for (const user of this.byId.values()) {
      if (normalizeEmail(user.email) === wanted || normalizeUsername(user.username) === wanted) return user;
    }
    return null;
  }

  async isTaken(field: UniqueField, value: string): Promise<boolean> {
    const normalize = field === 'email' ? normalizeEmail : normalizeUsername;
    return [...this.byId.values()].some((u) => normalize(u[field]) === normalize(value));
  }
}

export class FakeSessions implements SessionRepository {
  readonly all: SessionRecord[] = [];
  async create(session: SessionRecord): Promise<SessionRecord> {
    this.all.push(session);
    return session;
  }
  async get(userId: string, sessionId: string): Promise<SessionRecord | null> {
    return this.all.find((s) => s.userId === userId && s.id === sessionId) ?? null;
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
}

export class FakeTokens implements AccessTokens {
  readonly issued: AccessTokenSubject[] = [];
  async issue(subject: AccessTokenSubject) {
    this.issued.push(subject);
    return {
      token: `token-for-${subject.userId}`,
      expiresIn: 900,
      claims: { sub: subject.userId, sid: subject.sessionId, roles: subject.roles, jti: 'j', iat: 0, exp: 900 },
    };
  }
  async verify(): Promise<never> {
    throw new DomainError('UNAUTHENTICATED', 'fake');
  }
}
