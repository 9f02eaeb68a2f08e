/** The account use cases emit the lifecycle events downstream systems need: names of changed fields, never values or secrets. */
import { describe, expect, it } from 'vitest';
import { changePassword, deleteAccount, logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { updateAccount } from '../../functions/core/accounts/account-update.js';
import { setAccountStatus, setRoles } from '../../functions/core/accounts/admin.js';
import { updateProfile } from '../../functions/core/accounts/profiles.js';
import { EVENT_DATA_SCHEMAS } from '../../functions/core/events/events.js';
import type { Caller } from '../../functions/core/kernel/caller.js';
import { fakeDeps } from '../support/fakes.js';
import { domainError } from '../support/expect-errors.js';

const origin = { userAgent: 'test', ip: '10.0.0.1', clientLabel: null };
const admin: Caller = { subject: 'admin-id', kind: 'player', sessionId: 'admin-session', roles: ['player', 'admin'], username: 'root' };

async function player() {
  const d = fakeDeps();
  const grant = await signUp(d, { username: 'Alice', email: 'alice@example.com', password: 'correct horse battery' }, origin);
  const caller: Caller = { subject: grant.user.id, kind: 'player', sessionId: grant.sessionId, roles: ['player'], username: 'Alice' };
  d.events.emitted.length = 0;
  return { d, id: grant.user.id, caller };
}

function expectValid(d: ReturnType<typeof fakeDeps>) {
  for (const event of d.events.emitted) expect(EVENT_DATA_SCHEMAS[event.type].safeParse(event.data).success, event.type).toBe(true);
}

describe('lifecycle events', () => {
  it('userProfileUpdated names the changed fields only, and nothing when nothing changed', async () => {
    const { d, id, caller } = await player();
    await updateProfile(d, caller, id, { displayName: 'Queen Alice', email: 'alice@example.com' }, undefined);
    expect(d.events.emitted.map((e) => e.data)).toEqual([{ userId: id, fields: ['displayName'], timestamp: expect.any(String) }]);
    await updateAccount(d, caller, id, { username: 'Alice' }, null);
    expect(d.events.emitted).toHaveLength(1);
    await updateAccount(d, caller, id, { username: 'alice2', email: 'a2@example.com' }, null);
    expect(d.events.emitted[1]?.data).toEqual({ userId: id, fields: ['username', 'email'], timestamp: expect.any(String) });
    expect(JSON.stringify(d.events.emitted)).not.toContain('a2@example.com');
    expectValid(d);
  });

  it('userPasswordChanged carries no secret, from either password route', async () => {
    const { d, id, caller } = await player();
    await changePassword(d, caller, { currentPassword: 'correct horse battery', newPassword: 'another long passphrase' }, null);
    await updateAccount(d, caller, id, { password: 'a third long passphrase', currentPassword: 'another long passphrase' }, null);
    expect(d.events.types()).toEqual(['userPasswordChanged', 'userPasswordChanged']);
    expect(JSON.stringify(d.events.emitted)).not.toMatch(/passphrase|hashed/);
    expectValid(d);
  });

  it('the owner needs the current password for PUT; a wrong one changes nothing and emits nothing', async () => {
    const { d, id, caller } = await player();
    const error = await domainError(updateAccount(d, caller, id, { password: 'a third long passphrase', currentPassword: 'wrong' }, null));
    expect(error.errors).toEqual([{ field: 'currentPassword', message: 'is incorrect' }]);
    expect(d.users.byId.get(id)?.passwordHash).toBe('hashed:correct horse battery');
    expect(d.events.emitted).toHaveLength(0);
  });

  it('userAccountStatusChanged, userRolesChanged and userDeleted from the admin use cases', async () => {
    const { d, id } = await player();
    await setAccountStatus(d, admin, id, { status: 'suspended', reason: 'chat abuse', until: '2026-02-01T00:00:00.000Z' });
    await setRoles(d, admin, id, true);
    await setRoles(d, admin, id, true); // no change, no event
    await deleteAccount(d, admin, id, undefined, null);
    expect(d.events.types()).toEqual(['userAccountStatusChanged', 'userRolesChanged', 'userDeleted']);
    expect(d.events.emitted[0]?.data).toMatchObject({ status: 'suspended', reason: 'chat abuse', until: '2026-02-01T00:00:00.000Z' });
    expect(d.events.emitted[1]?.data).toMatchObject({ roles: ['player', 'admin'] });
    expectValid(d);
  });
});

describe('login counters', () => {
  it('count a success, a failure and a lockout, each once', async () => {
    const { d } = await player();
    await logIn(d, { login: 'alice', password: 'correct horse battery' }, origin);
    for (let i = 0; i < 3; i++) await domainError(logIn(d, { login: 'alice', password: 'wrong' }, origin));
    expect((await domainError(logIn(d, { login: 'alice', password: 'correct horse battery' }, origin))).code).toBe('RATE_LIMITED');
    expect(Object.fromEntries(d.counters.counts)).toEqual({ loginsOk: 1, loginsFailed: 3, loginsLocked: 1 });
  });
});
