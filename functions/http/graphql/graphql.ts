import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Caller } from '../../core/kernel/caller.js';
import { authenticate } from '../../platform/auth.js';
import { readJson, readQuery } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { graphqlBody, graphqlQuery, graphqlResponse } from './contract.js';
import type { GraphqlContext, GraphqlServices } from './resolvers.js';
import { DomainError } from '../../core/kernel/errors.js';
import { once } from '../../core/kernel/once.js';

// The GraphQL server (graphql-yoga, graphql and the schema) is loaded by the first GraphQL request,
// not with the app: a cold start that answers anything else does not pay for it.
const loadServer = once(() => import('./server.js'));

function requestContext(request: HttpRequest, services: GraphqlServices & Pick<Services, 'infrastructure'>, context: InvocationContext): GraphqlContext {
  let caller: Promise<Caller> | undefined;
  return {
    services,
    caller: () => (caller ??= authenticate(request, services)),
    isDependencyUnavailable: (error) => services.infrastructure.isDependencyUnavailable(error),
    logError: (message, error) => context.error(message, error),
  };
}

/**
 * POST /api/graphql {query, variables?, operationName?} (GET for queries): the GraphQL view of the
 * same use cases. A malformed request is a 400 problem; GraphQL errors answer 200 with `errors`.
 */
export async function graphql(request: HttpRequest, services: GraphqlServices & Pick<Services, 'infrastructure'>, context: InvocationContext): Promise<HttpResponseInit> {
  // Checked here like any body, so a bad request is the usual problem; yoga gets it re-encoded.
  const url = new URL(request.url);
  let forwarded: { method: string; body?: string };
  // application/json keeps GraphQL errors at 200 (application/graphql-response+json would answer 400).
  const headers = { accept: 'application/json', 'content-type': 'application/json' };
  if (request.method === 'GET') {
    readQuery(request, graphqlQuery);
    forwarded = { method: 'GET' };
  } else {
    const body = await readJson(request, graphqlBody);
    forwarded = { method: 'POST', body: JSON.stringify(body) };
  }
  const { yoga } = await loadServer();
  const answer = await yoga.fetch(url.href, { ...forwarded, headers }, requestContext(request, services, context));
  // yoga refuses a few requests at the HTTP level (a mutation over GET): those stay RFC 9457 problems.
  if (answer.status === 405) throw new DomainError('METHOD_NOT_ALLOWED', 'Send mutations with POST; GET runs queries only.');
  if (answer.status !== 200) {
    const body = (await answer.json().catch(() => ({}))) as { errors?: { message?: string }[] };
    throw new DomainError('VALIDATION_FAILED', body.errors?.[0]?.message ?? 'The GraphQL request was refused.');
  }
  return {
    status: answer.status,
    headers: { 'Content-Type': answer.headers.get('content-type') ?? 'application/json', 'Cache-Control': 'no-store' },
    body: await answer.text(),
  };
}

const operation = {
  auth: 'bearer',
  description:
    'Queries me, user, players, activeUsers, userStatus, activity, stats, wallet, leaderboard; mutations updateProfile, setStatus (schemas/graphql/schema.graphql). ' +
    'The same use cases and authorisation as the REST routes. At most 6 levels deep and 200 fields a document. ' +
    'GraphQL errors answer 200 with `errors[].extensions.code` (the problem codes); a malformed request is a 400 problem.',
  responses: { 200: { description: 'The GraphQL answer.', body: graphqlResponse } },
} as const;

httpFunction('graphql', {
  route: 'graphql',
  tag: 'graphql',
  handler: graphql,
  operations: {
    POST: { ...operation, summary: 'Run a GraphQL query or mutation', body: graphqlBody, problems: [400, 413, 415, 503] },
    GET: { ...operation, summary: 'Run a GraphQL query (no mutations over GET)', query: graphqlQuery, problems: [400, 405, 503] },
  },
});
