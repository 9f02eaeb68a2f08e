/** The process's one GraphQL server; each request brings its own context (services, caller, log). */
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { queryLimits } from './limits.js';
import type { GraphqlContext } from './resolvers.js';
import { GRAPHQL_SCHEMA } from './schema.js';

const limits: Plugin = {
  onValidate({ addValidationRule }) {
    addValidationRule(queryLimits());
  },
};

export const yoga = createYoga<GraphqlContext>({
  schema: GRAPHQL_SCHEMA,
  graphqlEndpoint: '/api/graphql',
  graphiql: false,
  landingPage: false,
  plugins: [limits],
  maskedErrors: {
    // Resolvers already turned their errors into coded ones; whatever else slips through says nothing of itself.
    maskError: (error) =>
      error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)
        ? error
        : new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } }),
  },
});
