/**
 * The document covers exactly what the host serves: the app is loaded through the same core-API
 * seam the local host uses (infra/local/core-api.ts), so a trigger registered with a bare
 * app.http(...) instead of httpFunction(...) shows up here as missing from the document.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { installCoreApi, type Registration } from '../../infra/local/core-api.js';
import { MINIMAL_SETTINGS } from '../support/expect-errors.js';
import type { OpenApiDocument } from '../../functions/platform/openapi/document.js';

/**
 * Functions the host serves that are no client API: Web PubSub's calls to the app (it signs them;
 * clients never call it). The console's pages live outside /api and are not checked here.
 */
const SERVICE_CALLBACKS = new Set(['realtimeUpstream']);

/** "GET /api/users/{id}" for each method of each HTTP function the host would serve under /api. */
function servedOperations(registrations: readonly Registration[]): string[] {
  return registrations.flatMap(({ metadata }) => {
    const trigger = Object.values(metadata.bindings).find((b) => b.type === 'httpTrigger');
    const route = String(trigger?.['route'] ?? '');
    if (!trigger || !route.startsWith('api/') || SERVICE_CALLBACKS.has(metadata.name)) return [];
    const path = `/${route.replace(/\{\*/g, '{')}`;
    return (trigger['methods'] as string[]).map((m) => `${m.toUpperCase()} ${path}`);
  });
}

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item as object).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/** What the host serves and the document lacks, and the reverse. */
function contractGaps(served: string[], documented: string[]) {
  return { undocumented: served.filter((op) => !documented.includes(op)), unserved: documented.filter((op) => !served.includes(op)) };
}

let registrations: Registration[];
let document: OpenApiDocument;

beforeAll(async () => {
  const core = installCoreApi(() => {}, '4.0.0-test');
  // The entry point validates settings at load; these are the least it accepts (nothing connects).
  for (const [name, value] of Object.entries(MINIMAL_SETTINGS)) process.env[name] ??= value;
  await import('../../functions/index.js');
  registrations = core.registrations;
  document = (await import('../../functions/platform/openapi/document.js')).openApiDocument().document;
});

describe('the OpenAPI document', () => {
  it('documents every HTTP function the host serves, and nothing it does not', () => {
    const served = servedOperations(registrations);
    expect(served.length).toBeGreaterThan(25);
    expect(contractGaps(served, documentedOperations(document))).toEqual({ undocumented: [], unserved: [] });
  });

  it('would catch a trigger registered around httpFunction, and a documented route nobody serves', () => {
    const served = servedOperations(registrations);
    const documented = documentedOperations(document);
    expect(contractGaps([...served, 'POST /api/stray'], documented).undocumented).toEqual(['POST /api/stray']);
    expect(contractGaps(served.filter((op) => op !== 'GET /api/me'), documented).unserved).toEqual(['GET /api/me']);
  });

  it('is OpenAPI 3.1 with the app name and version, bearer security and the shared Problem', async () => {
    const { APP_NAME, APP_VERSION } = await import('../../functions/platform/version.js');
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: APP_NAME, version: APP_VERSION });
    expect(document.components?.securitySchemes?.['bearerAuth']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }));
    expect(document.components?.schemas?.['Problem']).toMatchObject({ required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']) });
    const me = document.paths?.['/api/me']?.get;
    expect(me?.security).toEqual([{ bearerAuth: [] }]);
    expect(me?.responses?.['401']).toEqual(expect.objectContaining({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }));
    expect(document.paths?.['/api/login']?.post?.security).toEqual([]);
  });

  it('derives path parameters from the route and documents the headers', () => {
    const patch = document.paths?.['/api/users/{id}']?.patch;
    expect(patch?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
        expect.objectContaining({ name: 'If-Match', in: 'header' }),
      ]),
    );
    expect(patch?.responses?.['200']?.headers).toHaveProperty('ETag');
    expect(patch?.responses?.['412']).toBeDefined();
    expect(document.paths?.['/api/signup']?.post?.responses?.['201']?.headers).toHaveProperty('Location');
    expect(document.paths?.['/api/docs/{path}']?.get?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'path', in: 'path', required: true })]));
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const operation of Object.values(item as Record<string, { parameters?: { name: string; in: string }[] }>)) {
        expect(operation.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], path).toEqual(names);
      }
    }
  });

  it('lists a 429 and 503 with Retry-After, and a request schema the handler validates with', async () => {
    const { signUpInput } = await import('../../functions/core/accounts/schemas.js');
    const signup = document.paths?.['/api/signup']?.post;
    expect(signup?.responses?.['429']?.headers).toHaveProperty('Retry-After');
    const body = signup?.requestBody as { content: Record<string, { schema: { properties: object } }> };
    expect(Object.keys(body.content['application/json']?.schema.properties ?? {}).sort()).toEqual(Object.keys(signUpInput.shape).sort());
  });
});

describe('requests.http', () => {
  it('walks only documented operations, and the README flows', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { PROJECT_ROOT } = await import('../../functions/platform/version.js');
    const text = readFileSync(join(PROJECT_ROOT, 'requests.http'), 'utf8');
    const requests = [...text.matchAll(/^(GET|POST|PUT|PATCH|DELETE) \{\{api\}\}(\/[^?\s]*)/gm)].map(([, method, path]) => ({ method: method as string, path: path as string }));
    const documented = Object.entries(document.paths ?? {}).map(([path, item]) => ({
      pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      methods: Object.keys(item as object),
    }));
    const undocumented = requests.filter((r) => !documented.some((d) => d.pattern.test(`/api${r.path}`) && d.methods.includes(r.method.toLowerCase())));
    expect(undocumented).toEqual([]);
    for (const step of ['/signup', '/login', '/me', '/token/refresh', '/me/sessions', '/token', '/track-activity', '/active-users', '/user-status', '/game/ai', '/logout']) {
      expect(requests.map((r) => r.path.replace(/\{\{[^}]+\}\}/g, '{}'))).toContain(step);
    }
  });
});

describe('the e2e contract check (test/support/contract.ts)', () => {
  it('passes a documented answer and fails an undocumented status, a stray field, a wrong type and an unknown route', async () => {
    const { ContractChecker } = await import('../support/contract.js');
    const checker = new ContractChecker(JSON.parse(JSON.stringify(document)));
    const user = { id: 'u1', username: 'alice', email: 'a@example.com', emailVerified: false, pendingEmail: null, displayName: 'alice', avatarUrl: null, roles: ['player'], status: 'active', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' };
    const problem = { type: 'urn:player-accounts:problem:not-found', title: 'Not found', status: 404, detail: 'No such user.', code: 'NOT_FOUND' };
    expect(checker.problems('GET', '/api/me', 200, 'application/json', user)).toEqual([]);
    expect(checker.problems('GET', '/api/users/u1', 404, 'application/problem+json', problem)).toEqual([]);
    expect(checker.problems('GET', '/api/me', 418, 'application/json', user)).toEqual([expect.stringContaining('status not documented')]);
    expect(checker.problems('GET', '/api/me', 200, 'application/json', { ...user, passwordHash: 'x' })).toEqual([expect.stringContaining('additional properties')]);
    expect(checker.problems('GET', '/api/me', 200, 'application/json', { ...user, createdAt: 'yesterday' })).toEqual([expect.stringContaining('format')]);
    expect(checker.problems('GET', '/api/me', 401, 'application/json', problem)).toEqual([expect.stringContaining('content type')]);
    expect(checker.problems('POST', '/api/nowhere', 200, 'application/json', {})).toEqual([expect.stringContaining('no documented operation')]);
    expect(checker.problems('POST', '/api/nowhere', 404, 'application/problem+json', problem)).toEqual([]);
    expect(checker.problems('POST', '/api/logout', 204, null, null)).toEqual([]);
  });
});

describe('the document and docs handlers', () => {
  it('serve the document with an ETag (304 when unchanged), the docs page under a CSP, and only its own files', async () => {
    const { HttpRequest } = await import('@azure/functions');
    const { openApiJson } = await import('../../functions/http/platform/openapi-json.js');
    const { docs, docsAssets } = await import('../../functions/http/platform/docs.js');
    const first = await openApiJson(new HttpRequest({ url: 'http://localhost/api/openapi.json', method: 'GET' }));
    expect(first.status).toBe(200);
    expect(JSON.parse(String(first.body))).toEqual(JSON.parse(JSON.stringify(document)));
    const etag = (first.headers as Record<string, string>)['ETag'] as string;
    const again = await openApiJson(new HttpRequest({ url: 'http://localhost/api/openapi.json', method: 'GET', headers: { 'if-none-match': etag } }));
    expect(again.status).toBe(304);

    const page = await docs(new HttpRequest({ url: 'http://localhost/api/docs', method: 'GET' }));
    expect((page.headers as Record<string, string>)['Content-Security-Policy']).toContain("script-src 'self'");
    expect(String(page.body)).toContain('src="/api/docs/swagger-ui-bundle.js"');
    const css = await docsAssets(new HttpRequest({ url: 'http://localhost/api/docs/swagger-ui.css', method: 'GET', params: { path: 'swagger-ui.css' } }));
    expect((css.headers as Record<string, string>)['Content-Type']).toBe('text/css; charset=utf-8');
    await expect(docsAssets(new HttpRequest({ url: 'http://localhost/api/docs/package.json', method: 'GET', params: { path: '../package.json' } }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
