/**
 * Bounds on one GraphQL document, checked before anything runs: how deep selections nest and how
 * many fields it selects in all (fragments counted where they are spread), so a query cannot fan out.
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export const MAX_DEPTH = 6;
export const MAX_FIELDS = 200;

interface Measure {
  depth: number;
  fields: number;
}

function measure(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): Measure {
  let depth = 0;
  let fields = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection is bounded by the schema's own size; its standard query nests deeper than any data query.
      if (selection.name.value.startsWith('__')) continue;
      const inner = selection.selectionSet ? measure(selection.selectionSet, fragments, seen) : { depth: 0, fields: 0 };
      depth = Math.max(depth, inner.depth + 1);
      fields += 1 + inner.fields;
    } else {
      // A fragment spread twice counts twice (it runs twice); a cycle is refused by graphql's own rules.
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
      const next = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen;
      const inner = measure(fragment.selectionSet, fragments, next);
      depth = Math.max(depth, inner.depth);
      fields += inner.fields;
    }
  }
  return { depth, fields };
}

/** A validation rule: one error per operation over a limit, with the same code a 400 problem has. */
export function queryLimits(maxDepth = MAX_DEPTH, maxFields = MAX_FIELDS): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(node) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const { depth, fields } = measure(node.selectionSet, fragments, new Set());
      if (depth > maxDepth) {
        context.reportError(new GraphQLError(`The query nests ${depth} levels deep; at most ${maxDepth} are allowed.`, { nodes: [node], extensions: { code: 'VALIDATION_FAILED' } }));
      }
      if (fields > maxFields) {
        context.reportError(new GraphQLError(`The query selects ${fields} fields; at most ${maxFields} are allowed.`, { nodes: [node], extensions: { code: 'VALIDATION_FAILED' } }));
      }
    },
  });
}
