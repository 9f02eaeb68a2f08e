/** isoFromEpochMs writes exactly what Date#toISOString writes, across minutes, hours, days and years. */
import { describe, expect, it } from 'vitest';
import { isoFromEpochMs } from '../../functions/core/kernel/clock.js';

describe('isoFromEpochMs', () => {
  it('matches toISOString for edge and random instants', () => {
    const edges = [0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 86_399_999, 951_782_400_000, 1_764_547_199_999, 4_102_444_800_000, 253_402_300_799_999];
    const random = Array.from({ length: 5_000 }, () => Math.floor(Math.random() * 4_102_444_800_000));
    // In order and out of order: the cached minute must never leak into another minute.
    for (const ms of [...edges, ...random, ...[...random].sort((a, b) => a - b)]) expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
  });
});
