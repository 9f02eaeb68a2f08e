/**
 * Bounds on one GraphQL document, checked before anything runs: how deep selections nest and how
 * many fields it selects in all (fragments counted where they are spread), so a query cannot fan out.
 * Introspection (__schema, __type) has its own, wider bounds: the standard introspection query
 * nests 15 levels and selects 220 fields, and nesting it further would fan out the same way.
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export const MAX_DEPTH = 6;
export const MAX_FIELDS = 200;
export const MAX_INTROSPECTION_DEPTH = 16;
export const MAX_INTROSPECTION_FIELDS = 300;

interface Measure {
  depth: number;
  fields: number;
}

interface Tally {
  fragments: Map<string, FragmentDefinitionNode>;
  /** The deepest and the total of the introspection subtrees met so far. */
  introspection: Measure;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function measure(set: SelectionSetNode, tally: Tally, seen: ReadonlySet<string>): Measure {
  let depth = 0;
  let fields = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const inner = selection.selectionSet ? measure(selection.selectionSet, tally, seen) : { depth: 0, fields: 0 };
      if (INTROSPECTION_ROOTS.has(selection.name.value)) {
        tally.introspection.depth = Math.max(tally.introspection.depth, inner.depth + 1);
        tally.introspection.fields += 1 + inner.fields;
        continue;
      }
      depth = Math.max(depth, inner.depth + 1);
      fields += 1 + inner.fields;
    } else {
      // A fragment spread twice counts twice (it runs twice); a cycle is refused by graphql's own rules.
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : tally.fragments.get(name ?? '');
      if (!fragment || (name !== undefined && seen.has(name))) continue;
      const inner = measure(fragment.selectionSet, tally, name === undefined ? seen : new Set([...seen, name]));
      depth = Math.max(depth, inner.depth);
      fields += inner.fields;
    }
  }
  return { depth, fields };
}

function overLimits(what: string, found: Measure, maxDepth: number, maxFields: number): string[] {
  const problems: string[] = [];
  if (found.depth > maxDepth) problems.push(`The ${what} nests ${found.depth} levels deep; at most ${maxDepth} are allowed.`);
  if (found.fields > maxFields) problems.push(`The ${what} selects ${found.fields} fields; at most ${maxFields} are allowed.`);
  return problems;
}

/** A validation rule: one error per limit an operation passes, with the same code a 400 problem has. */
export function queryLimits(maxDepth = MAX_DEPTH, maxFields = MAX_FIELDS): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(node) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const tally: Tally = { fragments, introspection: { depth: 0, fields: 0 } };
      const data = measure(node.selectionSet, tally, new Set());
      const problems = [
        ...overLimits('query', data, maxDepth, maxFields),
        ...overLimits('introspection', tally.introspection, MAX_INTROSPECTION_DEPTH, MAX_INTROSPECTION_FIELDS),
      ];
      for (const message of problems) {
        context.reportError(new GraphQLError(message, { nodes: [node], extensions: { code: 'VALIDATION_FAILED' } }));
      }
    },
  });
}
