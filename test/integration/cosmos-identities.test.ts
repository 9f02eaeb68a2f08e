/** Identity claims in Cosmos (the stand-in): one account per identity, under concurrent links and sign-ups. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosUserRepository, identityClaimId } from '../../functions/adapters/cosmos/users.js';
import { isDomainError } from '../../functions/core/kernel/errors.js';
import type { LinkedIdentity, StoredUser } from '../../functions/core/accounts/users.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';

let cosmos: TestCosmos;
let repo: CosmosUserRepository;
beforeAll(async () => {
  cosmos = await startTestCosmos();
  repo = new CosmosUserRepository(cosmos.handle);
});
afterAll(async () => {
  await cosmos?.stop();
});

function link(key: string): LinkedIdentity {
  return { id: randomUUID(), method: 'steam', key, provider: null, subject: key.slice(6), linkedAt: new Date().toISOString() };
}

function user(identities: LinkedIdentity[] = [], email: string | null = null): StoredUser {
  const now = new Date().toISOString();
  const username = `u_${randomUUID().slice(0, 12)}`;
  return {
    id: randomUUID(), username, email, displayName: username, avatarUrl: null, roles: ['player'], status: 'active',
    statusReason: null, statusUntil: null, passwordHash: null, identities, createdAt: now, updatedAt: now,
  };
}

const newKey = () => `steam:7656119${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;

describe('identity claims', () => {
  it('stores an account with no email or password and finds it by its identity', async () => {
    const key = newKey();
    const created = await repo.create(user([link(key)]));
    expect(created).toMatchObject({ email: null, passwordHash: null, identities: [expect.objectContaining({ key })] });
    expect((await repo.findByIdentity(key))?.id).toBe(created.id);
    expect(await repo.findByIdentity(newKey())).toBeNull();
  });

  it('lets exactly one of two accounts racing to link the same identity have it', async () => {
    const [a, b] = await Promise.all([repo.create(user()), repo.create(user())]);
    const key = newKey();
    const results = await Promise.allSettled([a, b].map((u) => repo.update({ ...u, identities: [link(key)] })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected');
    expect(isDomainError(loser?.reason, 'IDENTITY_TAKEN')).toBe(true);
    const owner = await repo.findByIdentity(key);
    expect([a!.id, b!.id]).toContain(owner?.id);
    // The loser kept nothing: its account has no identities and holds no claim.
    const loserId = owner?.id === a!.id ? b!.id : a!.id;
    expect((await repo.findById(loserId))?.identities ?? []).toEqual([]);
  });

  it('makes one account of many concurrent sign-ups with the same identity', async () => {
    const key = newKey();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => repo.create(user([link(key)]))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => isDomainError(r.reason, 'IDENTITY_TAKEN'))).toBe(true);
  });

  it('releases an unlinked identity for another account, and a deleted account\'s identities', async () => {
    const key = newKey();
    const a = await repo.create(user([link(key)]));
    await repo.update({ ...a, identities: [] });
    expect(await repo.findByIdentity(key)).toBeNull();
    const b = await repo.create(user([link(key)]));
    expect((await repo.findByIdentity(key))?.id).toBe(b.id);
    await repo.delete(b);
    const { resource } = await cosmos.handle.container('claims').item(identityClaimId(key), identityClaimId(key)).read();
    expect(resource).toBeUndefined();
  });

  it('refuses a stale write of the identities (the etag), so concurrent unlinks cannot both pass the last-method check', async () => {
    const a = await repo.create(user([link(newKey()), link(newKey())]));
    const [first, second] = await Promise.allSettled([
      repo.update({ ...a, identities: a.identities!.slice(0, 1) }),
      repo.update({ ...a, identities: a.identities!.slice(1) }),
    ]);
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = [first, second].find((r) => r.status === 'rejected');
    expect(isDomainError(rejected?.reason, 'PRECONDITION_FAILED')).toBe(true);
    expect((await repo.findById(a.id))?.identities).toHaveLength(1);
  });

  it('adds and changes an email on an account that had none', async () => {
    const a = await repo.create(user());
    const email = `${randomUUID()}@example.com`;
    const withEmail = await repo.update({ ...a, email });
    expect((await repo.findByLogin(email))?.id).toBe(withEmail.id);
    expect(await repo.isTaken('email', email)).toBe(true);
  });
});
