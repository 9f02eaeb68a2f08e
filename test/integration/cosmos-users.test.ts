/** The Cosmos user repository against the stand-in: uniqueness across partitions, orphans, lookups. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimId, CosmosUserRepository } from '../../functions/adapters/cosmos/users.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import type { StoredUser } from '../../functions/core/accounts/users.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await cosmos?.stop();
});

function user(username: string, email: string): StoredUser {
  const now = new Date().toISOString();
  return {
    id: randomUUID(), username, email, displayName: username, avatarUrl: null, roles: ['player'], status: 'active',
    statusReason: null, statusUntil: null, passwordHash: '$2b$10$hash', createdAt: now, updatedAt: now,
  };
}

async function countClaims(): Promise<number> {
  const { resources } = await cosmos.handle.container('claims').items.query('SELECT VALUE COUNT(1) FROM c').fetchAll();
  return Number(resources[0]);
}

describe('CosmosUserRepository', () => {
  it('stores a user and finds it by id, username and email, case-insensitively, without system fields', async () => {
    const repo = new CosmosUserRepository(cosmos.handle);
    const created = await repo.create(user('Mixed.Case', 'Mixed@Example.com'));
    expect(created.etag).toBeTruthy();
    const byId = await repo.findById(created.id);
    expect(byId).toEqual(created);
    expect(Object.keys(byId ?? {}).some((k) => k.startsWith('_'))).toBe(false);
    expect((await repo.findByLogin('mixed.case'))?.id).toBe(created.id);
    expect((await repo.findByLogin('MIXED@example.COM'))?.id).toBe(created.id);
    expect(await repo.findByLogin('nobody')).toBeNull();
    expect(await repo.isTaken('username', 'MIXED.CASE')).toBe(true);
    expect(await repo.isTaken('email', 'free@example.com')).toBe(false);
  });

  it('lets exactly one of 20 concurrent creates with the same username through and leaves no orphan claim', async () => {
    const repo = new CosmosUserRepository(cosmos.handle);
    const before = await countClaims();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => repo.create(user('racer', `racer${i}@example.com`))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(DomainError);
      expect((r.reason as DomainError).errors).toEqual([{ field: 'username', message: 'is already taken' }]);
    }
    // One username claim and one email claim: the losers' email claims were all removed.
    expect((await countClaims()) - before).toBe(2);
  });

  it('takes over a claim orphaned by a crashed sign-up once it is old enough, but not a fresh one', async () => {
    let now = Date.now();
    const repo = new CosmosUserRepository(cosmos.handle, () => now);
    // What a sign-up that died after claiming its username leaves behind.
    const id = claimId('username', 'phoenix');
    await cosmos.handle.container('claims').items.create({ id, field: 'username', userId: randomUUID(), createdAt: new Date(now).toISOString() });
    expect(await repo.isTaken('username', 'phoenix')).toBe(true);
    await expect(repo.create(user('phoenix', 'p1@example.com'))).rejects.toThrow(DomainError);
    now += 61_000;
    expect(await repo.isTaken('username', 'phoenix')).toBe(false);
    const created = await repo.create(user('phoenix', 'p2@example.com'));
    expect((await repo.findByLogin('phoenix'))?.id).toBe(created.id);
  });

  it('does not log in through a claim whose user no longer owns the value', async () => {
    const repo = new CosmosUserRepository(cosmos.handle);
    const created = await repo.create(user('mover', 'old@example.com'));
    // A user whose email changed, with the old claim not yet released.
    await cosmos.handle.container('users').item(created.id, created.id).patch([{ op: 'set', path: '/email', value: 'new@example.com' }]);
    expect(await repo.findByLogin('old@example.com')).toBeNull();
  });

  it('lets exactly one of 10 concurrent renames and sign-ups take a username, and leaves each loser as it was', async () => {
    const repo = new CosmosUserRepository(cosmos.handle);
    const renamers = await Promise.all(Array.from({ length: 5 }, (_, i) => repo.create(user(`renamer${i}`, `renamer${i}@example.com`))));
    const before = await countClaims();
    const results = await Promise.allSettled([
      ...renamers.map((u) => repo.update({ ...u, username: 'Coveted' })),
      ...Array.from({ length: 5 }, (_, i) => repo.create(user('coveted', `coveted${i}@example.com`))),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect((r.reason as DomainError).errors).toEqual([{ field: 'username', message: 'is already taken' }]);
    }
    const winner = (await repo.findByLogin('COVETED'))?.id;
    expect(winner).toBeDefined();
    // Renamers that lost keep their name; one that won gave its old name up.
    for (const [i, u] of renamers.entries()) {
      const found = await repo.findByLogin(`renamer${i}`);
      expect(found?.id === u.id).toBe(u.id !== winner);
    }
    // A won rename moved one claim (net 0); a won sign-up added its two.
    const signUpWon = !renamers.some((u) => u.id === winner);
    expect((await countClaims()) - before).toBe(signUpWon ? 2 : 0);
  });
});
