import { describe, expect, it } from 'vitest';
import { once } from '../../functions/core/kernel/once.js';

describe('once', () => {
  it('makes one thing for concurrent first calls and keeps it', async () => {
    let made = 0;
    const get = once(async () => ++made);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(await get()).toBe(1);
    expect(made).toBe(1);
  });

  it('forgets a failure, so the next call tries again', async () => {
    let calls = 0;
    const get = once(async () => {
      calls++;
      if (calls === 1) throw new Error('EMFILE: too many open files');
      return 'client';
    });
    const first = await Promise.allSettled([get(), get()]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await get()).toBe('client');
    expect(await get()).toBe('client');
    expect(calls).toBe(2);
  });
});
