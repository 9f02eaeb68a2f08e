import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { parseSchedule } from '../../functions/platform/schedule.js';
import { isPreflight, preflightHeaders, responseHeaders } from '../../infra/local/cors.js';
import { byPrecedence, compileRoute } from '../../infra/local/routes.js';
import { hostEnvironment, settingOf } from '../../infra/local/settings.js';

describe('NCRONTAB schedules', () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (expression: string, after: string) => new Date(parseSchedule(expression).next(at(after))).toISOString();
  it('finds the next firing for steps, lists, ranges and weekdays', () => {
    expect(next('*/30 * * * * *', '2026-01-01T00:00:10Z')).toBe('2026-01-01T00:00:30.000Z');
    expect(next('0 */5 * * * *', '2026-01-01T00:04:59Z')).toBe('2026-01-01T00:05:00.000Z');
    expect(next('5-55/10 * * * * *', '2026-01-01T00:00:10Z')).toBe('2026-01-01T00:00:15.000Z');
    expect(next('0 0 9-17 * * 1-5', '2026-01-03T12:00:00Z')).toBe('2026-01-05T09:00:00.000Z');
    expect(next('0 30 9 1,15 * *', '2026-01-02T00:00:00Z')).toBe('2026-01-15T09:30:00.000Z');
  });
  it('reads month and day names and named ranges, as Azure does', () => {
    // 2026-01-03 is a Saturday: the next Monday in January at 09:30.
    expect(next('0 30 9 * Jan Mon', '2026-01-03T00:00:00Z')).toBe('2026-01-05T09:30:00.000Z');
    expect(next('0 0 9 * * MON-FRI', '2026-01-03T12:00:00Z')).toBe('2026-01-05T09:00:00.000Z');
    expect(next('0 0 0 1 FEB-MAR *', '2026-01-03T00:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('0 0 12 * * SUN', '2026-01-01T00:00:00Z')).toBe('2026-01-04T12:00:00.000Z');
  });
  it('needs both the day and the weekday to match, as NCrontab does', () => {
    // The first Monday that is also the 1st of a month after 2026-01-01: June.
    expect(next('0 0 9 1 * 1', '2026-01-01T00:00:00Z')).toBe('2026-06-01T09:00:00.000Z');
  });
  it('fires strictly after the given time', () => {
    expect(next('0 * * * * *', '2026-01-01T00:01:00Z')).toBe('2026-01-01T00:02:00.000Z');
  });
  it('explains a malformed schedule', () => {
    expect(() => parseSchedule('* * * * *')).toThrow(/six fields/);
    expect(() => parseSchedule('0 61 * * * *')).toThrow(/minute/);
    expect(() => parseSchedule('0 0 0 * * Fun')).toThrow(/not a valid NCRONTAB schedule/);
    expect(() => parseSchedule('0 0 0 * * Funday')).toThrow(/not an NCRONTAB field/);
    // croner's extensions would be refused by Azure.
    expect(() => parseSchedule('0 0 0 L * *')).toThrow(/not an NCRONTAB field/);
    expect(() => parseSchedule('0 0 0 * * 1#2')).toThrow(/not an NCRONTAB field/);
  });
});

describe('platform CORS', () => {
  const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;
  const policy = { allowedOrigins: ['https://game.example.com'], supportCredentials: false };
  const preflight = (origin: string) =>
    request('OPTIONS', { origin, 'access-control-request-method': 'post', 'access-control-request-headers': 'authorization, content-type' });

  it('answers a preflight from an allowed origin with the origin, the method and the requested headers', () => {
    expect(isPreflight(preflight('https://game.example.com'))).toBe(true);
    expect(isPreflight(request('OPTIONS', { origin: 'https://game.example.com' }))).toBe(false);
    expect(preflightHeaders(policy, preflight('https://Game.example.com/'))).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://Game.example.com/',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': 'authorization, content-type',
    });
    expect(preflightHeaders({ ...policy, supportCredentials: true }, preflight('https://game.example.com'))).toMatchObject({ 'Access-Control-Allow-Credentials': 'true' });
    expect(preflightHeaders({ allowedOrigins: ['*'], supportCredentials: false }, preflight('http://localhost:3000'))['Access-Control-Allow-Origin']).toBe('http://localhost:3000');
  });

  it('gives a disallowed origin no CORS headers', () => {
    expect(preflightHeaders(policy, preflight('https://evil.example.com'))).toEqual({ Vary: 'Origin' });
    expect(responseHeaders(policy, request('GET', { origin: 'https://evil.example.com' }))).toEqual({ Vary: 'Origin' });
    expect(responseHeaders({ allowedOrigins: [], supportCredentials: false }, request('GET', { origin: 'https://game.example.com' }))).toEqual({ Vary: 'Origin' });
    expect(responseHeaders(policy, request('GET', {}))).toEqual({});
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
