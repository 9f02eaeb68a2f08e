/** The wallet against the Cosmos stand-in: never negative under concurrency, idempotent, repaired after a crash. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosWalletRepository } from '../../functions/adapters/cosmos/wallets.js';
import { isDomainError } from '../../functions/core/kernel/errors.js';
import type { LedgerEntry, WalletRepository } from '../../functions/core/wallet/ports.js';
import { applyTransaction, getWallet, listTransactions, postTransaction, type WalletDeps } from '../../functions/core/wallet/wallet.js';
import { startTestCosmos, type TestCosmos } from '../support/cosmos.js';
import { anyUser, gameServer, player, RecordingEvents } from '../support/game.js';

let cosmos: TestCosmos;
beforeAll(async () => {
  cosmos = await startTestCosmos();
});
afterAll(async () => {
  await cosmos?.stop();
});

function deps(wallets: WalletRepository = new CosmosWalletRepository(cosmos.handle)): WalletDeps & { events: RecordingEvents } {
  return { wallets, events: new RecordingEvents(), clock: { now: () => Date.now() }, users: anyUser, currencies: ['gold', 'gems'] };
}

describe('wallet', () => {
  it('lets exactly 10 of 32 concurrent debits through a balance that covers 10, and never goes negative', async () => {
    const d = deps();
    const userId = randomUUID();
    await applyTransaction(d, userId, { currency: 'gold', amount: 10, reason: 'grant', idempotencyKey: 'grant-1' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 32 }, (_, i) => applyTransaction(d, userId, { currency: 'gold', amount: -1, reason: 'buy', idempotencyKey: `buy-${i}` })),
    );
    const succeeded = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(22);
    for (const r of refused) expect(isDomainError((r as PromiseRejectedResult).reason, 'INSUFFICIENT_FUNDS')).toBe(true);
    expect((await getWallet(d, gameServer, userId)).balances).toEqual({ gold: 0, gems: 0 });
    const ledger = await listTransactions(d, gameServer, userId, { limit: 100 });
    expect(ledger.items).toHaveLength(11);
    expect(ledger.items.map((e) => e.balanceAfter).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(d.events.ofType('walletTransaction')).toHaveLength(11);
  });

  it('returns the first outcome for a repeated idempotency key, sequential or concurrent, and moves the balance once', async () => {
    const d = deps();
    const userId = randomUUID();
    const first = await postTransaction(d, gameServer, userId, { currency: 'gems', amount: 5, reason: 'reward', idempotencyKey: 'k1' });
    expect(first.replayed).toBe(false);
    const again = await Promise.all(
      Array.from({ length: 5 }, () => postTransaction(d, gameServer, userId, { currency: 'gems', amount: 999, reason: 'other', idempotencyKey: 'k1' })),
    );
    for (const r of again) expect(r).toEqual({ transaction: first.transaction, replayed: true });
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, () => applyTransaction(d, userId, { currency: 'gems', amount: 3, reason: 'race', idempotencyKey: 'k2' })),
    );
    expect(concurrent.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await getWallet(d, player(userId), userId)).balances['gems']).toBe(8);
    expect((await listTransactions(d, player(userId), userId, { limit: 10 })).items.map((e) => e.idempotencyKey)).toEqual(['k2', 'k1']);
  });

  it('refuses what the caller may not do and what is not configured, naming the field', async () => {
    const d = deps();
    const userId = randomUUID();
    await expect(postTransaction(d, player(userId), userId, { currency: 'gold', amount: 5, reason: 'self', idempotencyKey: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(getWallet(d, player('someone-else'), userId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(applyTransaction(d, userId, { currency: 'silver', amount: 5, reason: 'r', idempotencyKey: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'currency' }],
    });
    await expect(applyTransaction(d, userId, { currency: 'gold', amount: -1, reason: 'r', idempotencyKey: 'x' })).rejects.toMatchObject({
      code: 'INSUFFICIENT_FUNDS',
      errors: [{ field: 'amount' }],
    });
  });

  it('completes the ledger and the event after a crash between the balance write and the ledger copy', async () => {
    const real = new CosmosWalletRepository(cosmos.handle);
    let crash = true;
    const crashing: WalletRepository = Object.assign(Object.create(real) as WalletRepository, {
      appendEntry: async (entry: LedgerEntry) => {
        if (crash) throw new Error('injected crash before the ledger copy');
        await real.appendEntry(entry);
      },
    });
    const d = deps(crashing);
    const userId = randomUUID();
    await expect(applyTransaction(d, userId, { currency: 'gold', amount: 7, reason: 'crash', idempotencyKey: 'c1' })).rejects.toThrow(/injected/);
    crash = false;
    // The balance moved with the write; the ledger does not have the entry yet.
    expect((await getWallet(d, gameServer, userId)).balances['gold']).toBe(7);
    expect(await real.findEntry(userId, 'c1')).toBeNull();
    // A retry of the same request finds it pending and finishes it, without applying it twice.
    const retried = await applyTransaction(d, userId, { currency: 'gold', amount: 7, reason: 'crash', idempotencyKey: 'c1' });
    expect(retried.replayed).toBe(true);
    expect(await real.findEntry(userId, 'c1')).toMatchObject({ amount: 7, balanceAfter: 7 });
    expect((await getWallet(d, gameServer, userId)).balances['gold']).toBe(7);
    expect(d.events.ofType('walletTransaction')).toHaveLength(1);

    // A crash again, then a read of the ledger (no retry) completes it too.
    crash = true;
    await expect(applyTransaction(d, userId, { currency: 'gold', amount: -2, reason: 'crash', idempotencyKey: 'c2' })).rejects.toThrow(/injected/);
    crash = false;
    const ledger = await listTransactions(d, gameServer, userId, { limit: 10 });
    expect(ledger.items.map((e) => [e.idempotencyKey, e.balanceAfter])).toEqual([['c2', 5], ['c1', 7]]);
  });

  it('pages the ledger newest first with a cursor', async () => {
    const d = deps();
    const userId = randomUUID();
    for (let i = 0; i < 5; i++) await applyTransaction(d, userId, { currency: 'gold', amount: 1, reason: 'tick', idempotencyKey: `t${i}` });
    const one = await listTransactions(d, gameServer, userId, { limit: 3 });
    expect(one.items.map((e) => e.idempotencyKey)).toEqual(['t4', 't3', 't2']);
    const two = await listTransactions(d, gameServer, userId, { limit: 3, cursor: one.cursor ?? undefined });
    expect(two.items.map((e) => e.idempotencyKey)).toEqual(['t1', 't0']);
    expect(two.cursor).toBeNull();
    await expect(listTransactions(d, gameServer, userId, { limit: 3, cursor: 'bm9wZQ' })).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });
  });
});
