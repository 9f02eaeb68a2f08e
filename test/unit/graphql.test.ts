/** The GraphQL adapter without a stack: the printed schema, the depth and field limits, the request checks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphql } from '../../functions/http/graphql/graphql.js';
import { toGraphqlError, type GraphqlContext } from '../../functions/http/graphql/resolvers.js';
import { DomainError } from '../../functions/core/kernel/errors.js';
import { queryLimits } from '../../functions/http/graphql/limits.js';
import { GRAPHQL_SCHEMA, printedSchema } from '../../functions/http/graphql/schema.js';
import { PROJECT_ROOT } from '../../functions/platform/version.js';

function limitErrors(query: string): string[] {
  return validate(GRAPHQL_SCHEMA, parse(query), [...specifiedRules, queryLimits()]).map((e) => `${String(e.extensions.code)}: ${e.message}`);
}

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpRequest {
  return new HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/graphql', headers, body: { string: body } });
}

// Nothing past the bearer-token check is reached in these cases, so no services are needed.
const noServices = {} as Parameters<typeof graphql>[1];

describe('GraphQL schema and limits', () => {
  it('schemas/graphql/schema.graphql is the schema the app serves (npm run graphql:schema)', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'schemas/graphql/schema.graphql'), 'utf8')).toBe(printedSchema());
  });

  it('refuses a document nested deeper than 6 levels and accepts one at 6', () => {
    // activity { items { ... } } nests 3; fragments count where they are spread.
    expect(limitErrors('{ leaderboard(id: "x") { items { userId } } }')).toEqual([]);
    const deep = 'query { a: me { id } ...F } fragment F on Query { stats(userId: "u") { matches { stats } lastActivity { id } } }';
    expect(limitErrors(deep)).toEqual([]);
    const tooDeep = queryLimits(2);
    const errors = validate(GRAPHQL_SCHEMA, parse('{ stats(userId: "u") { matches { wins } } }'), [tooDeep]);
    expect(errors.map((e) => [e.extensions.code, e.message])).toEqual([['VALIDATION_FAILED', 'The query nests 3 levels deep; at most 2 are allowed.']]);
  });

  it('refuses a document selecting more than 200 fields, counting aliases and fragment spreads', () => {
    const aliases = Array.from({ length: 101 }, (_, i) => `m${i}: me { id }`).join(' ');
    expect(limitErrors(`{ ${aliases} }`)).toEqual(['VALIDATION_FAILED: The query selects 202 fields; at most 200 are allowed.']);
    const spreads = Array.from({ length: 67 }, (_, i) => `s${i}: me { ...U }`).join(' ');
    expect(limitErrors(`{ ${spreads} } fragment U on User { id username }`)).toEqual(['VALIDATION_FAILED: The query selects 201 fields; at most 200 are allowed.']);
  });

  it('lets the standard introspection query through, within wider bounds of its own', () => {
    expect(limitErrors(getIntrospectionQuery())).toEqual([]);
    // Nesting introspection further fans out like data would: refused.
    const nested = `{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } } } } } } } }`;
    // graphql's own MaxIntrospectionDepthRule refuses it too.
    expect(limitErrors(nested)).toContain('VALIDATION_FAILED: The introspection nests 17 levels deep; at most 16 are allowed.');
    const typenames = Array.from({ length: 201 }, (_, i) => `t${i}: __typename`).join(' ');
    expect(limitErrors(`{ ${typenames} }`)).toEqual(['VALIDATION_FAILED: The query selects 201 fields; at most 200 are allowed.']);
  });
});

describe('POST /api/graphql handler', () => {
  const context = new InvocationContext();

  it('a malformed request is a 400-class problem, not a GraphQL answer', async () => {
    await expect(graphql(post('{"query": 5}'), noServices, context)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'query' }] });
    await expect(graphql(post('{not json'), noServices, context)).rejects.toMatchObject({ code: 'MALFORMED_JSON' });
    await expect(graphql(post('{}', { 'content-type': 'text/plain' }), noServices, context)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('no token: 200 with errors[].extensions.code UNAUTHENTICATED and me null', async () => {
    const answer = await graphql(post(JSON.stringify({ query: '{ me { id } }' })), noServices, context);
    expect(answer.status).toBe(200);
    const body = JSON.parse(String(answer.body)) as { data: unknown; errors: { message: string; path: string[]; extensions: { code: string } }[] };
    expect(body.data).toEqual({ me: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ path: ['me'], extensions: { code: 'UNAUTHENTICATED' } });
    expect(JSON.stringify(body)).not.toContain('stack');
  });

  it('a syntax error answers 200 with the error and no data; a mutation over GET is refused', async () => {
    const answer = await graphql(post(JSON.stringify({ query: '{ me { id ' })), noServices, context);
    const body = JSON.parse(String(answer.body)) as { data?: unknown; errors: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]?.message).toMatch(/Syntax Error/);
    const get = new HttpRequest({ method: 'GET', url: `http://127.0.0.1/api/graphql?query=${encodeURIComponent('mutation { setStatus(status: "away") { status } }')}` });
    await expect(graphql(get, noServices, context)).rejects.toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });
});

describe('resolver errors', () => {
  const logged: unknown[] = [];
  const context = {
    isDependencyUnavailable: (error: unknown) => error instanceof Error && error.message === 'redis down',
    logError: (_message: string, error: unknown) => logged.push(error),
  } as unknown as GraphqlContext;

  it('a domain error keeps its code and named fields; an outage says so; anything else is masked and logged', () => {
    const invalid = toGraphqlError(new DomainError('VALIDATION_FAILED', 'bad', { errors: [{ field: 'status', message: 'must be one of online' }] }), context);
    expect([invalid.message, invalid.extensions]).toEqual(['bad', { code: 'VALIDATION_FAILED', fields: [{ field: 'status', message: 'must be one of online' }] }]);
    expect(toGraphqlError(new DomainError('FORBIDDEN', 'no'), context).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(toGraphqlError(new Error('redis down'), context).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    const secret = new Error('connection string AccountKey=abc123 failed');
    const masked = toGraphqlError(secret, context);
    expect([masked.message, masked.extensions]).toEqual(['Unexpected error.', { code: 'INTERNAL' }]);
    expect(JSON.stringify(masked.toJSON())).not.toContain('abc123');
    expect(logged).toEqual([secret]);
  });
});
