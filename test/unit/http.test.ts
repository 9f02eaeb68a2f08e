import { HttpRequest, InvocationContext } from '@azure/functions';
import { ClientOfflineError } from 'redis';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { clientIp, handle, json, readJson } from '../../functions/platform/http.js';
import type { Services } from '../../functions/platform/services.js';
import { isDependencyUnavailable } from '../../functions/adapters/unavailable.js';
import { errorResponse, problemResponse } from '../../functions/platform/problem.js';
import { domainError } from '../support/expect-errors.js';

const schema = z.strictObject({ name: z.string().min(2, 'is too short'), tags: z.array(z.string()).optional() });

function request(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return new HttpRequest({ method: 'POST', url: 'http://localhost/api/x', body: { string: body }, headers });
}


describe('readJson', () => {
  it('parses a valid body', async () => {
    await expect(readJson(request('{"name":"ok"}'), schema)).resolves.toEqual({ name: 'ok' });
    await expect(readJson(request('{"name":"ok"}', { 'content-type': 'application/merge-patch+json; charset=utf-8' }), schema)).resolves.toEqual({ name: 'ok' });
  });

  it('refuses other media types and charsets with 415', async () => {
    for (const type of ['text/plain', 'application/json; charset=latin1', '']) {
      expect((await domainError(readJson(request('{}', type ? { 'content-type': type } : {}), schema))).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a body over the limit, by header and by actual size', async () => {
    expect((await domainError(readJson(request('{"name":"abc"}'), schema, { maxBytes: 5 }))).code).toBe('PAYLOAD_TOO_LARGE');
    const lying = request('{"name":"abc"}', { 'content-type': 'application/json', 'content-length': '1' });
    expect((await domainError(readJson(lying, schema, { maxBytes: 5 }))).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports malformed JSON and invalid UTF-8', async () => {
    expect((await domainError(readJson(request('{"name":'), schema))).code).toBe('MALFORMED_JSON');
    const latin1 = new HttpRequest({ method: 'POST', url: 'http://l/x', body: { bytes: Buffer.from([0x7b, 0xff, 0x7d]) }, headers: { 'content-type': 'application/json' } });
    expect((await domainError(readJson(latin1, schema))).message).toMatch(/UTF-8/);
  });

  it('names each invalid, missing and unknown field with a path', async () => {
    const error = await domainError(readJson(request('{"name":"a","tags":["x",3],"extra":1,"more":2}'), schema));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual([
      { field: 'name', message: 'is too short' },
      { field: 'tags[1]', message: 'must be of type string' },
      { field: 'extra', message: 'is not a known field' },
      { field: 'more', message: 'is not a known field' },
    ]);
    expect((await domainError(readJson(request('{}'), schema))).errors).toEqual([{ field: 'name', message: 'is required' }]);
    expect((await domainError(readJson(request('"text"'), schema))).errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });
});

describe('clientIp', () => {
  const withForwarded = (value: string) => new HttpRequest({ method: 'GET', url: 'http://l/x', headers: { 'x-forwarded-for': value } });
  it('takes the last X-Forwarded-For hop, which the front end appended', () => {
    expect(clientIp(withForwarded('1.2.3.4'))).toBe('1.2.3.4');
    expect(clientIp(withForwarded('6.6.6.6, 10.0.0.7:52011'))).toBe('10.0.0.7');
    expect(clientIp(withForwarded('[2001:db8::1]:443'))).toBe('2001:db8::1');
    expect(clientIp(withForwarded('::ffff:127.0.0.1'))).toBe('::ffff:127.0.0.1');
    expect(clientIp(new HttpRequest({ method: 'GET', url: 'http://l/x' }))).toBeNull();
  });
});

describe('problem responses', () => {
  it('carry the RFC 9457 members, Retry-After and WWW-Authenticate where they belong', () => {
    const limited = problemResponse(new DomainError('RATE_LIMITED', 'slow down', { retryAfterSeconds: 2.2 }));
    expect(limited.status).toBe(429);
    expect(limited.headers).toMatchObject({ 'Content-Type': 'application/problem+json', 'Retry-After': '3' });
    expect(limited.jsonBody).toEqual({ type: 'urn:player-accounts:problem:rate-limited', title: 'Too many requests', status: 429, detail: 'slow down', code: 'RATE_LIMITED' });
    const unauthenticated = problemResponse(new DomainError('UNAUTHENTICATED', 'no'));
    expect((unauthenticated.headers as Record<string, string>)['WWW-Authenticate']).toMatch(/^Bearer /);
  });

  it('answer a dependency outage with 503 and Retry-After, not 500', () => {
    const warnings: unknown[][] = [];
    const context = { invocationId: 'inv-2', warn: (...args: unknown[]) => warnings.push(args), error: () => {} } as never;
    const response = errorResponse(context, new ClientOfflineError(), isDependencyUnavailable);
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '5' });
    expect((response.jsonBody as { code: string }).code).toBe('SERVICE_UNAVAILABLE');
    expect(warnings).toHaveLength(1);
    expect(errorResponse(context, Object.assign(new Error('cosmos says'), { code: 503 }), isDependencyUnavailable).status).toBe(503);
    expect(errorResponse(context, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), isDependencyUnavailable).status).toBe(503);
  });

  it('answer unknown errors with a bare 500 that leaks nothing, and log the error', () => {
    const logged: unknown[][] = [];
    const context = { invocationId: 'inv-1', error: (...args: unknown[]) => logged.push(args) } as never;
    const response = errorResponse(context, new Error('connection string AccountKey=secret leaked'));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.jsonBody)).not.toContain('secret');
    expect(JSON.stringify(response.jsonBody)).toContain('inv-1');
    expect(logged).toHaveLength(1);
  });
});

describe('handle', () => {
  const get = () => new HttpRequest({ method: 'GET', url: 'http://localhost/api/x' });
  const unbuildable = () => Promise.reject(new Error('the services were built'));

  it('does not build the services for a handler that takes none (liveness answers before any SDK loads)', async () => {
    const response = await handle(async () => json(200, { ok: true }), unbuildable)(get(), new InvocationContext());
    expect(response.status).toBe(200);
  });

  it('hands the built services to a handler that takes them', async () => {
    const services = { marker: 'built' } as unknown as Services;
    let seen: unknown;
    const response = await handle(async (_request, given) => {
      seen = given;
      return json(200, {});
    }, async () => services)(get(), new InvocationContext());
    expect(response.status).toBe(200);
    expect(seen).toBe(services);
    // A failure to build them is the request's answer, as before (500, logged).
    const failed = await handle(async (_request, _services) => json(200, {}), unbuildable)(get(), new InvocationContext({ logHandler: () => {} }));
    expect(failed.status).toBe(500);
  });
});

