/** Sign-up, login and the caller's own account. */
import { DomainError, type FieldError } from './errors.js';
import type { AccessTokens, Clock, PasswordHasher, SessionRepository, UserRepository } from './ports.js';
import type { LogInInput, SignUpInput } from './schemas.js';
import { newRefreshToken, newSession, type SessionOrigin } from './sessions.js';
import { isActive, toUserView, type StoredUser, type UserView } from './users.js';

export interface AccountDeps {
  users: UserRepository;
  sessions: SessionRepository;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  clock: Clock;
  newId: () => string;
  refreshAbsoluteLifetimeSeconds: number;
}

export interface TokenGrant {
  user: UserView;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** One answer for unknown user, wrong password and disabled account, so none can be told apart. */
export function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The login or password is incorrect.');
}

export async function signUp(deps: AccountDeps, input: SignUpInput, origin: SessionOrigin): Promise<TokenGrant> {
  // Cheap point reads first, so the common duplicate is answered without spending a bcrypt hash.
  const [usernameTaken, emailTaken] = await Promise.all([
    deps.users.isTaken('username', input.username),
    deps.users.isTaken('email', input.email),
  ]);
  const taken: FieldError[] = [];
  if (usernameTaken) taken.push({ field: 'username', message: 'is already taken' });
  if (emailTaken) taken.push({ field: 'email', message: 'is already registered' });
  if (taken.length > 0) {
    throw new DomainError('USER_EXISTS', 'An account with this username or email already exists.', { errors: taken });
  }

  const now = new Date(deps.clock.now()).toISOString();
  const user: StoredUser = {
    id: deps.newId(),
    username: input.username,
    email: input.email.trim(),
    displayName: input.username,
    avatarUrl: null,
    roles: ['player'],
    status: 'active',
    statusReason: null,
    statusUntil: null,
    passwordHash: await deps.hasher.hash(input.password),
    createdAt: now,
    updatedAt: now,
  };
  const stored = await deps.users.create(user);
  return openSession(deps, stored, { ...origin, clientLabel: input.clientLabel ?? origin.clientLabel });
}

export async function logIn(deps: AccountDeps, input: LogInInput, origin: SessionOrigin): Promise<TokenGrant> {
  const user = await deps.users.findByLogin(input.login);
  if (user === null) {
    await deps.hasher.verifyDummy(input.password);
    throw invalidCredentials();
  }
  const passwordMatches = await deps.hasher.verify(input.password, user.passwordHash);
  if (!passwordMatches || !isActive(user, deps.clock.now())) throw invalidCredentials();
  return openSession(deps, user, { ...origin, clientLabel: input.clientLabel ?? origin.clientLabel });
}

export async function getOwnAccount(deps: Pick<AccountDeps, 'users'>, userId: string): Promise<UserView> {
  const user = await deps.users.findById(userId);
  // The token outlived its account (deleted): the caller is no longer anyone.
  if (user === null) throw new DomainError('UNAUTHENTICATED', 'The account behind this token no longer exists.');
  return toUserView(user);
}

async function openSession(deps: AccountDeps, user: StoredUser, origin: SessionOrigin): Promise<TokenGrant> {
  const sessionId = deps.newId();
  const refreshToken = newRefreshToken(user.id, sessionId);
  await deps.sessions.create(
    newSession({ sessionId, userId: user.id }, origin, refreshToken, deps.clock.now(), deps.refreshAbsoluteLifetimeSeconds),
  );
  const access = await deps.tokens.issue({
    userId: user.id,
    sessionId,
    roles: user.roles,
    username: user.username,
  });
  return {
    user: toUserView(user),
    sessionId,
    accessToken: access.token,
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
  };
}
