/** The identity use cases over in-memory fakes: policy, throttling, events, linking rules. */
import { describe, expect, it } from 'vitest';
import { changePassword, deleteAccount, logIn } from '../../functions/core/accounts/accounts.js';
import { HmacDeviceIdHasher } from '../../functions/core/identities/device-ids.js';
import type { IdentityDeps } from '../../functions/core/identities/deps.js';
import { linkIdentity, listIdentities, unlinkIdentity } from '../../functions/core/identities/linking.js';
import type { VerifiedIdToken } from '../../functions/core/identities/ports.js';
import { signInWithIdentity } from '../../functions/core/identities/sign-in.js';
import { EVENT_DATA_SCHEMAS } from '../../functions/core/events/events.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { fakeDeps } from '../support/fakes.js';
import { domainError } from '../support/expect-errors.js';

const origin = { userAgent: 'test', ip: '10.0.0.1', clientLabel: null };
const DEVICE = 'a-device-id-of-the-game-0001';

function deps(options: { allowCreate?: boolean } = {}) {
  const base = fakeDeps();
  const tokens = new Map<string, VerifiedIdToken>();
  const used = new Set<string>();
  const d = {
    ...base,
    deviceIds: new HmacDeviceIdHasher(async () => 'k'.repeat(32)),
    oidc: {
      providers: () => new Map([['local', { allowCreate: options.allowCreate ?? true }]]),
      async verify(_provider: string, idToken: string) {
        const token = tokens.get(idToken);
        if (!token) throw new DomainError('INVALID_CREDENTIALS', 'bad token');
        return token;
      },
    },
    steam: {
      async authenticate(ticket: string) {
        if (!ticket.startsWith('ab')) throw new DomainError('INVALID_CREDENTIALS', 'bad ticket');
        return { steamId: `765611979602${ticket.slice(2, 7).padStart(5, '0')}` };
      },
    },
    nonces: {
      async useOnce(key: string) {
        if (used.has(key)) return false;
        used.add(key);
        return true;
      },
    },
  } satisfies IdentityDeps;
  const mint = (name: string, claims: Partial<VerifiedIdToken> = {}) => {
    tokens.set(name, { subject: 'sub-1', expiresAt: 2_000_000_000, nonce: null, email: null, ...claims });
    return name;
  };
  return { d, mint };
}

const player = (subject: string, sessionId = 's-1'): Caller => ({ kind: 'player', subject, sessionId, roles: ['player'], username: 'x' });

describe('device sign-in', () => {
  it('makes an account holding only a keyed hash of the id, and emits userSignUp and userLogin with the method', async () => {
    const { d } = deps();
    const { grant, created } = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, 'phone');
    expect(created).toBe(true);
    const stored = d.users.byId.get(grant.user.id)!;
    expect(JSON.stringify(stored)).not.toContain(DEVICE);
    expect(stored).toMatchObject({ email: null, passwordHash: null, identities: [{ method: 'device', key: expect.stringMatching(/^device:[A-Za-z0-9_-]{43}$/) }] });
    expect(d.events.types()).toEqual(['userSignUp', 'userLogin']);
    const login = d.events.emitted[1]!;
    expect(login.data).toMatchObject({ userId: grant.user.id, method: 'device' });
    for (const event of d.events.emitted) expect(EVENT_DATA_SCHEMAS[event.type].safeParse(event.data).success).toBe(true);
    expect(d.sessions.all[0]?.clientLabel).toBe('phone');

    const again = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE } }, origin, undefined);
    expect(again).toMatchObject({ created: false, grant: { user: { id: grant.user.id } } });
  });

  it('is throttled like password login: failed tries per id, then 429 even for the right one', async () => {
    const { d } = deps();
    await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined);
    const unknown = 'an-unknown-device-id-0002';
    for (let i = 0; i < 3; i++) expect((await domainError(signInWithIdentity(d, { method: 'device', proof: { deviceId: unknown } }, origin, undefined))).code).toBe('INVALID_CREDENTIALS');
    expect((await domainError(signInWithIdentity(d, { method: 'device', proof: { deviceId: unknown }, create: true }, origin, undefined))).code).toBe('RATE_LIMITED');
    // A success gives its counts back: the known device keeps signing in.
    for (let i = 0; i < 5; i++) await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE } }, origin, undefined);
  });

  it('refuses a suspended or banned account the same way as an unknown id', async () => {
    const { d } = deps();
    const { grant } = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined);
    const user = d.users.byId.get(grant.user.id)!;
    d.users.byId.set(user.id, { ...user, status: 'banned', statusReason: 'cheating' });
    const banned = await domainError(signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined));
    const unknown = await domainError(signInWithIdentity(d, { method: 'device', proof: { deviceId: 'never-seen-device-0003' } }, origin, undefined));
    expect([banned.code, banned.message]).toEqual([unknown.code, unknown.message]);
    expect(d.users.byId.size).toBe(1);
  });
});

describe('OpenID Connect sign-in', () => {
  it('checks the nonce when given and refuses a nonce used before', async () => {
    const { d, mint } = deps();
    const token = mint('t1', { nonce: 'n1' });
    expect((await domainError(signInWithIdentity(d, { method: 'oidc', proof: { provider: 'local', idToken: token, nonce: 'other' } }, origin, undefined))).code).toBe('INVALID_CREDENTIALS');
    await signInWithIdentity(d, { method: 'oidc', proof: { provider: 'local', idToken: token, nonce: 'n1' } }, origin, undefined);
    // Replayed, with or without the nonce in the request.
    expect((await domainError(signInWithIdentity(d, { method: 'oidc', proof: { provider: 'local', idToken: token, nonce: 'n1' } }, origin, undefined))).code).toBe('INVALID_CREDENTIALS');
    expect((await domainError(signInWithIdentity(d, { method: 'oidc', proof: { provider: 'local', idToken: token } }, origin, undefined))).code).toBe('INVALID_CREDENTIALS');
    expect(d.events.emitted.find((e) => e.type === 'userLogin')?.data).toMatchObject({ method: 'oidc' });
  });

  it('makes no account for an unknown subject when the provider does not allow it, and names an unknown provider', async () => {
    const { d, mint } = deps({ allowCreate: false });
    expect((await domainError(signInWithIdentity(d, { method: 'oidc', proof: { provider: 'local', idToken: mint('t') } }, origin, undefined))).code).toBe('INVALID_CREDENTIALS');
    expect(d.users.byId.size).toBe(0);
    const unknown = await domainError(signInWithIdentity(d, { method: 'oidc', proof: { provider: 'google', idToken: mint('t2') } }, origin, undefined));
    expect([unknown.code, unknown.errors]).toEqual(['VALIDATION_FAILED', [{ field: 'provider', message: 'is not a configured provider' }]]);
  });
});

describe('linking', () => {
  it('links Steam to a device account (again: the same link), lists it without its key, and refuses it for another account', async () => {
    const { d } = deps();
    const a = (await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined)).grant.user.id;
    const first = await linkIdentity(d, player(a), { method: 'steam', proof: { ticket: 'ab12345' } });
    expect(first).toMatchObject({ created: true, identity: { method: 'steam', subject: '76561197960212345' } });
    expect(await linkIdentity(d, player(a), { method: 'steam', proof: { ticket: 'ab12345' } })).toEqual({ ...first, created: false });
    const list = await listIdentities(d, player(a));
    expect(list.items.map((i) => i.method)).toEqual(['device', 'steam']);
    expect(list.items.some((i) => 'key' in i)).toBe(false);
    const b = (await signInWithIdentity(d, { method: 'device', proof: { deviceId: 'second-device-id-0004' }, create: true }, origin, undefined)).grant.user.id;
    expect((await domainError(linkIdentity(d, player(b), { method: 'steam', proof: { ticket: 'ab12345' } }))).code).toBe('IDENTITY_TAKEN');
    const viaSteam = await signInWithIdentity(d, { method: 'steam', proof: { ticket: 'ab12345' } }, origin, undefined);
    expect(viaSteam.grant.user.id).toBe(a);
  });

  it('never unlinks the last way in: a password or another identity must remain', async () => {
    const { d } = deps();
    const a = (await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined)).grant.user.id;
    const [device] = (await listIdentities(d, player(a))).items;
    expect((await domainError(unlinkIdentity(d, player(a), device!.id))).code).toBe('CONFLICT');
    const { identity: steam } = await linkIdentity(d, player(a), { method: 'steam', proof: { ticket: 'ab99999' } });
    await unlinkIdentity(d, player(a), device!.id);
    expect((await domainError(unlinkIdentity(d, player(a), steam.id))).code).toBe('CONFLICT');
    expect((await domainError(unlinkIdentity(d, player(a), 'no-such-id'))).code).toBe('NOT_FOUND');
    await changePassword(d, player(a), { newPassword: 'a long new password' }, origin.ip);
    await unlinkIdentity(d, player(a), steam.id);
    expect(await listIdentities(d, player(a))).toEqual({ items: [], hasPassword: true });
  });

  it('counts failed proofs against the account, so linking is no way to guess device ids', async () => {
    const { d } = deps();
    const a = (await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined)).grant.user.id;
    for (let i = 0; i < 3; i++) expect((await domainError(linkIdentity(d, player(a), { method: 'steam', proof: { ticket: 'zz' } }))).code).toBe('INVALID_CREDENTIALS');
    expect((await domainError(linkIdentity(d, player(a), { method: 'steam', proof: { ticket: 'ab1' } }))).code).toBe('RATE_LIMITED');
  });
});

describe('accounts without a password', () => {
  it('are refused by password login like a wrong password, after the same dummy compare', async () => {
    const { d } = deps();
    const { grant } = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined);
    d.hasher.calls.length = 0;
    const error = await domainError(logIn(d, { login: grant.user.username, password: 'anything at all' }, origin));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(d.hasher.calls).toEqual(['verifyDummy']);
  });

  it('set a first password without a current one, refuse a current one they do not have, then log in with it (method password)', async () => {
    const { d } = deps();
    const { grant } = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined);
    const caller = player(grant.user.id, grant.sessionId);
    const named = await domainError(changePassword(d, caller, { currentPassword: 'guess', newPassword: 'a long new password' }, origin.ip));
    expect(named.errors).toEqual([{ field: 'currentPassword', message: 'must be left out: the account has no password yet' }]);
    await changePassword(d, caller, { newPassword: 'a long new password' }, origin.ip);
    const login = await logIn(d, { login: grant.user.username, password: 'a long new password' }, origin);
    expect(login.user.id).toBe(grant.user.id);
    expect(d.events.emitted.at(-1)?.data).toMatchObject({ method: 'password' });
    // From now on the current password is required.
    expect((await domainError(changePassword(d, caller, { newPassword: 'another new password' }, origin.ip))).errors).toEqual([{ field: 'currentPassword', message: 'is required' }]);
  });

  it('can be deleted by their owner without a password to confirm with', async () => {
    const { d } = deps();
    const { grant } = await signInWithIdentity(d, { method: 'device', proof: { deviceId: DEVICE }, create: true }, origin, undefined);
    await deleteAccount(d, player(grant.user.id), grant.user.id, undefined, origin.ip);
    expect(d.users.byId.size).toBe(0);
  });
});
