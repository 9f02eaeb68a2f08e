/** The executable schema (SDL in type-defs.ts, resolvers in resolvers.ts); schemas/graphql/schema.graphql is its print. */
import { GraphQLScalarType, printSchema, type GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import { RESOLVERS, type GraphqlContext } from './resolvers.js';
import { TYPE_DEFS } from './type-defs.js';

const json = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value: free-form maps (activity details, counters, match stats).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

export const GRAPHQL_SCHEMA: GraphQLSchema = createSchema<GraphqlContext>({ typeDefs: TYPE_DEFS, resolvers: { ...RESOLVERS, JSON: json } });

/** The schema file's text; a test fails when the committed file differs. */
export function printedSchema(): string {
  return `${printSchema(GRAPHQL_SCHEMA)}\n`;
}
