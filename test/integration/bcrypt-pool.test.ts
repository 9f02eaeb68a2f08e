/** The password hasher's worker pool: correct hashes, a responsive event loop, a bounded queue. */
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BcryptPool } from '../../functions/adapters/passwords/bcrypt-pool.js';
import { DomainError } from '../../functions/core/kernel/errors.js';

const pools: BcryptPool[] = [];
function pool(options: { cost?: number; workers?: number; queueLimit?: number } = {}) {
  const p = new BcryptPool({ cost: options.cost ?? 10, workers: options.workers ?? 2, queueLimit: options.queueLimit ?? 100 });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('BcryptPool', () => {
  it('hashes at the configured cost and verifies, interoperable with bcryptjs', async () => {
    const p = pool({ cost: 11 });
    const hash = await p.hash('correct horse battery');
    expect(bcrypt.getRounds(hash)).toBe(11);
    expect(bcrypt.compareSync('correct horse battery', hash)).toBe(true);
    expect(await p.verify('correct horse battery', hash)).toBe(true);
    expect(await p.verify('wrong', hash)).toBe(false);
    expect(await p.verify('x', bcrypt.hashSync('x', 10))).toBe(true);
  });

  it('keeps the event loop free while hashing', async () => {
    const p = pool({ cost: 10, workers: 2 });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    await Promise.all(Array.from({ length: 8 }, () => p.hash('some password here')));
    clearInterval(ticker);
    // Eight cost-10 hashes on two workers take hundreds of ms; the loop kept ticking throughout.
    // Run on the main thread, not a single tick would fire until all were done.
    expect(ticks).toBeGreaterThan(10);
  });

  it('answers SERVICE_BUSY past the queue limit instead of queueing without bound', async () => {
    const p = pool({ cost: 10, workers: 1, queueLimit: 2 });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => p.hash('queued password!')));
    const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof DomainError && r.reason.code === 'SERVICE_BUSY');
    // One runs, two wait, three are refused.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(busy).toHaveLength(3);
  });

  it('reports a malformed hash as an error and keeps working', async () => {
    const p = pool({ workers: 1 });
    await expect(p.verify('x', 'not-a-bcrypt-hash')).resolves.toBe(false);
    expect(await p.verify('x', bcrypt.hashSync('x', 10))).toBe(true);
  });
});
