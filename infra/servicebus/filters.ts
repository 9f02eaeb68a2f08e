import type { CorrelationFilter, RuleDefinition } from './topology.js';

/** The parts of a message that subscription rules look at. */
export interface MessageFacts {
  messageId?: string;
  correlationId?: string;
  subject?: string;
  to?: string;
  replyTo?: string;
  sessionId?: string;
  replyToSessionId?: string;
  contentType?: string;
  applicationProperties: Record<string, unknown>;
}

export type MessageFilter = (facts: MessageFacts) => boolean;

const TRUE_SQL = /^\s*1\s*=\s*1\s*$/;
const FALSE_SQL = /^\s*1\s*=\s*0\s*$/;

/** The value of a trivial SQL filter (`1=1` / `1=0`); undefined for anything the stand-in cannot evaluate. */
export function evaluateTrivialSql(expression: string): boolean | undefined {
  if (TRUE_SQL.test(expression)) return true;
  if (FALSE_SQL.test(expression)) return false;
  return undefined;
}

// Correlation filter field → message fact; `label` is ARM's name for the subject.
const CORRELATION_FIELDS = [
  ['label', 'subject'],
  ['correlationId', 'correlationId'],
  ['messageId', 'messageId'],
  ['to', 'to'],
  ['replyTo', 'replyTo'],
  ['sessionId', 'sessionId'],
  ['replyToSessionId', 'replyToSessionId'],
  ['contentType', 'contentType'],
] as const satisfies ReadonlyArray<readonly [keyof CorrelationFilter, keyof MessageFacts]>;

function matchesCorrelation(filter: CorrelationFilter, facts: MessageFacts): boolean {
  for (const [filterField, factField] of CORRELATION_FIELDS) {
    const expected = filter[filterField];
    if (expected !== undefined && facts[factField] !== expected) return false;
  }
  for (const [name, expected] of Object.entries(filter.properties ?? {})) {
    if (facts.applicationProperties[name] !== expected) return false;
  }
  return true;
}

/** A subscription without rules takes everything (the $Default TrueFilter); otherwise any matching rule admits the message. */
export function compileRules(rules: readonly RuleDefinition[]): MessageFilter {
  if (rules.length === 0) return () => true;
  const predicates = rules.map((rule): MessageFilter => {
    if ('sqlFilter' in rule) {
      const value = evaluateTrivialSql(rule.sqlFilter.sqlExpression) ?? false;
      return () => value;
    }
    return (facts) => matchesCorrelation(rule.correlationFilter, facts);
  });
  return (facts) => predicates.some((predicate) => predicate(facts));
}
