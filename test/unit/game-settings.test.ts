/** CURRENCIES, LEADERBOARDS, STATS and MATCH_TTL_SECONDS: defaults, and start-up problems naming the setting. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/platform/config.js';
import { boardOf } from '../../functions/platform/features/leaderboards.js';
import { currentPeriod, previousPeriod } from '../../functions/core/leaderboards/boards.js';
import { configProblems, MINIMAL_SETTINGS } from '../support/expect-errors.js';

describe('game settings', () => {
  it('ship the local example configuration by default', () => {
    const config = loadConfig(MINIMAL_SETTINGS);
    expect(config.wallet.currencies).toEqual(['gold']);
    expect(config.leaderboards.boards.map((b) => [b.id, b.operator, b.source, b.reset])).toEqual([
      ['high-score', 'best', 'score', null],
      ['wins', 'sum', 'wins', '0 0 0 * * Mon'],
    ]);
    expect(config.matches).toMatchObject({ ttlSeconds: 7_200, stats: { kills: 'sum', bestStreak: 'max', fastestLapMs: 'min', rating: 'last' } });
  });

  it('reads a board list and fills in its defaults', () => {
    const config = loadConfig({ ...MINIMAL_SETTINGS, LEADERBOARDS: '[{"id":"laps","sort":"asc","source":"stats.fastestLapMs"}]', CURRENCIES: 'gold, gems' });
    expect(config.leaderboards.boards).toEqual([{ id: 'laps', sort: 'asc', operator: 'best', reset: null, source: 'stats.fastestLapMs' }]);
    expect(config.wallet.currencies).toEqual(['gold', 'gems']);
  });

  it('stops the app naming the setting and the board at fault', () => {
    const problems = (env: Record<string, string>) => configProblems({ ...MINIMAL_SETTINGS, ...env }, true).join('\n');
    expect(problems({ LEADERBOARDS: 'not json' })).toMatch(/^LEADERBOARDS must be JSON/m);
    expect(problems({ LEADERBOARDS: '[{"id":"a","reset":"every monday"}]' })).toMatch(/^LEADERBOARDS \[0\]\.reset must be an NCRONTAB schedule/m);
    expect(problems({ LEADERBOARDS: '[{"id":"a"},{"id":"a"}]' })).toMatch(/^LEADERBOARDS \[1\]\.id "a" names a board twice/m);
    expect(problems({ LEADERBOARDS: '[{"id":"a","operator":"avg"}]' })).toMatch(/^LEADERBOARDS \[0\]\.operator/m);
    expect(problems({ LEADERBOARDS: '[{"id":"a","source":"elo"}]' })).toMatch(/^LEADERBOARDS \[0\]\.source/m);
    expect(problems({ STATS: '{"kills":"average"}' })).toMatch(/^STATS kills: /m);
    expect(problems({ CURRENCIES: 'Gold' })).toMatch(/^CURRENCIES must be lowercase codes/m);
    expect(problems({ CURRENCIES: 'gold,gold' })).toMatch(/^CURRENCIES names a currency twice/m);
    expect(problems({ MATCH_TTL_SECONDS: '5' })).toMatch(/^MATCH_TTL_SECONDS /m);
  });

  it('names periods by the start of the interval holding the time', () => {
    const weekly = boardOf({ id: 'w', sort: 'desc', operator: 'sum', reset: '0 0 0 * * Mon', source: 'wins' });
    const wednesday = Date.parse('2026-11-25T12:00:00Z');
    expect(currentPeriod(weekly, wednesday)).toBe('2026-11-23T00:00:00Z');
    expect(previousPeriod(weekly, wednesday)).toBe('2026-11-16T00:00:00Z');
    expect(currentPeriod(weekly, Date.parse('2026-11-23T00:00:00Z'))).toBe('2026-11-23T00:00:00Z');
    const never = boardOf({ id: 'n', sort: 'desc', operator: 'best', reset: null, source: 'score' });
    expect([currentPeriod(never, wednesday), previousPeriod(never, wednesday)]).toEqual(['all', null]);
  });
});
