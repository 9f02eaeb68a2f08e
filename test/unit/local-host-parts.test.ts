import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../infra/local/ncrontab.js';
import { byPrecedence, compileRoute } from '../../infra/local/routes.js';
import { hostEnvironment, settingOf } from '../../infra/local/settings.js';

describe('NCRONTAB schedules', () => {
  const at = (iso: string) => Date.parse(iso);
  it('finds the next firing for steps, lists, ranges and weekdays', () => {
    expect(new Date(parseSchedule('*/30 * * * * *').next(at('2026-01-01T00:00:10Z'))).toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(new Date(parseSchedule('0 */5 * * * *').next(at('2026-01-01T00:04:59Z'))).toISOString()).toBe('2026-01-01T00:05:00.000Z');
    expect(new Date(parseSchedule('0 0 9-17 * * 1-5').next(at('2026-01-03T12:00:00Z'))).toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(new Date(parseSchedule('0 30 9 1,15 * *').next(at('2026-01-02T00:00:00Z'))).toISOString()).toBe('2026-01-15T09:30:00.000Z');
  });
  it('fires strictly after the given time', () => {
    expect(new Date(parseSchedule('0 * * * * *').next(at('2026-01-01T00:01:00Z'))).toISOString()).toBe('2026-01-01T00:02:00.000Z');
  });
  it('explains a malformed schedule', () => {
    expect(() => parseSchedule('* * * * *')).toThrow(/six fields/);
    expect(() => parseSchedule('0 61 * * * *')).toThrow(/minute/);
  });
});

describe('route templates', () => {
  it('binds parameters, honours constraints and optional and catch-all segments', () => {
    expect(compileRoute('api/users/{id}', null, 1).match('/api/users/42')).toEqual({ id: '42' });
    expect(compileRoute('api/users/{id}', null, 1).match('/api/users/42/x')).toBeNull();
    expect(compileRoute('api/items/{n:int}', null, 1).match('/api/items/abc')).toBeNull();
    expect(compileRoute('api/Items/{n:int}', null, 1).match('/API/items/7')).toEqual({ n: '7' });
    expect(compileRoute('api/status/{id?}', null, 1).match('/api/status')).toEqual({});
    expect(compileRoute('api/files/{*path}', null, 1).match('/api/files/a/b%20c')).toEqual({ path: 'a/b c' });
  });
  it('tries literal segments before parameters', () => {
    const routes = [compileRoute('api/users/{id}', null, 'param'), compileRoute('api/users/me', null, 'literal')].sort(byPrecedence);
    expect(routes.find((r) => r.match('/api/users/me'))?.target).toBe('literal');
  });
});

describe('local settings', () => {
  it('prefers local.settings.json, then the environment, then defaults; "" counts as unset', () => {
    const sources = { file: { A: 'file', B: '' }, env: { A: 'env', B: 'env', C: 'env' }, defaults: { A: 'd', B: 'd', C: 'd', D: 'd' } };
    expect(['A', 'B', 'C', 'D'].map((n) => settingOf(n, sources))).toEqual(['file', 'env', 'env', 'd']);
    const env = hostEnvironment(sources, { E: 'stand-in', C: 'stand-in' });
    expect(env).toMatchObject({ A: 'file', B: 'env', C: 'env', D: 'd', E: 'stand-in' });
  });
});
