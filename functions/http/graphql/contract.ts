/** What POST/GET /api/graphql take and answer (GraphQL over HTTP), as the OpenAPI document describes it. */
import { z } from 'zod';

const MAX_QUERY_LENGTH = 20_000;

export const graphqlBody = z
  .strictObject({
    query: z.string('is required').min(1, 'is required').max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
    variables: z.record(z.string(), z.unknown()).nullable().optional(),
    operationName: z.string().max(128).nullable().optional(),
    extensions: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .meta({ id: 'GraphqlRequest' });

/** GET carries the same as query parameters; variables as a JSON text. Queries only: a mutation over GET is refused (405). */
export const graphqlQuery = z.strictObject({
  query: graphqlBody.shape.query,
  variables: z.string().max(MAX_QUERY_LENGTH).optional().meta({ description: 'A JSON object, as text.' }),
  operationName: z.string().max(128).optional(),
});

const graphqlError = z
  .object({
    message: z.string(),
    locations: z.array(z.object({ line: z.number().int(), column: z.number().int() })).optional(),
    path: z.array(z.union([z.string(), z.number().int()])).optional(),
    extensions: z
      .object({ code: z.string().meta({ description: 'The same code as the REST problem (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, ...); INTERNAL for an unexpected failure.' }) })
      .catchall(z.unknown())
      .optional(),
  })
  .meta({ id: 'GraphqlError' });

export const graphqlResponse = z
  .object({ data: z.record(z.string(), z.unknown()).nullable().optional(), errors: z.array(graphqlError).optional() })
  .meta({ id: 'GraphqlResponse', description: 'GraphQL errors (a refused caller, a too-deep query) answer 200 with `errors`.' });
