import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseIsoDuration } from './duration.js';
import { evaluateTrivialSql } from './filters.js';

// Shapes of infra/topology.json. Field names are the ARM resource properties so Bicep can pass them through.
export type RuleProperties = Record<string, string | number | boolean>;

export interface CorrelationFilter {
  label?: string;
  correlationId?: string;
  messageId?: string;
  to?: string;
  replyTo?: string;
  sessionId?: string;
  replyToSessionId?: string;
  contentType?: string;
  properties?: RuleProperties;
}

export interface SqlFilter {
  sqlExpression: string;
}

export type RuleDefinition =
  | { name: string; filterType?: 'CorrelationFilter'; correlationFilter: CorrelationFilter }
  | { name: string; filterType?: 'SqlFilter'; sqlFilter: SqlFilter };

/** Settings shared by queues and subscriptions (the things that receive). */
export interface ReceiverEntitySettings {
  maxDeliveryCount?: number;
  lockDuration?: string;
  deadLetteringOnMessageExpiration?: boolean;
  defaultMessageTimeToLive?: string;
}

export interface SubscriptionDefinition extends ReceiverEntitySettings {
  name: string;
  rules?: RuleDefinition[];
}

export interface TopicDefinition {
  name: string;
  requiresDuplicateDetection?: boolean;
  duplicateDetectionHistoryTimeWindow?: string;
  defaultMessageTimeToLive?: string;
  subscriptions: SubscriptionDefinition[];
}

export interface QueueDefinition extends ReceiverEntitySettings {
  name: string;
  requiresDuplicateDetection?: boolean;
  duplicateDetectionHistoryTimeWindow?: string;
}

export interface Topology {
  topics: TopicDefinition[];
  queues?: QueueDefinition[];
}

export class TopologyError extends Error {
  override name = 'TopologyError';
  /** Dotted path of the offending field, e.g. `topics[0].subscriptions[1].lockDuration`. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

// ARM properties that only matter to the real service (sizing, batching, idle deletion); accepted and ignored.
const IGNORED = ['$comment', 'status', 'enableBatchedOperations', 'autoDeleteOnIdle'];
const IGNORED_ENTITY = [...IGNORED, 'maxSizeInMegabytes', 'maxMessageSizeInKilobytes', 'enablePartitioning', 'enableExpress', 'supportOrdering'];
const IGNORED_SUBSCRIPTION = [...IGNORED, 'deadLetteringOnFilterEvaluationExceptions', 'isClientAffine', 'clientAffineProperties'];
// ARM properties whose behaviour the stand-in does not emulate; refusing them beats silently behaving differently.
const UNSUPPORTED = ['requiresSession', 'forwardTo', 'forwardDeadLetteredMessagesTo'];

const SENDER_FIELDS = ['name', 'requiresDuplicateDetection', 'duplicateDetectionHistoryTimeWindow', 'defaultMessageTimeToLive'];
const RECEIVER_FIELDS = ['maxDeliveryCount', 'lockDuration', 'deadLetteringOnMessageExpiration', 'defaultMessageTimeToLive'];
const TOPIC_FIELDS = [...SENDER_FIELDS, 'subscriptions', ...IGNORED_ENTITY, ...UNSUPPORTED];
const QUEUE_FIELDS = [...SENDER_FIELDS, ...RECEIVER_FIELDS, ...IGNORED_ENTITY, ...UNSUPPORTED];
const SUBSCRIPTION_FIELDS = ['name', 'rules', ...RECEIVER_FIELDS, ...IGNORED_SUBSCRIPTION, ...UNSUPPORTED];
const RULE_FIELDS = ['name', 'filterType', 'correlationFilter', 'sqlFilter', 'action', '$comment'];
const CORRELATION_FIELDS = ['label', 'correlationId', 'messageId', 'to', 'replyTo', 'sessionId', 'replyToSessionId', 'contentType', 'properties', 'requiresPreprocessing'];
const SQL_FIELDS = ['sqlExpression', 'compatibilityLevel', 'requiresPreprocessing'];
const HINTS: Record<string, string> = {
  subject: 'the ARM name for the message subject is "label"',
  applicationProperties: 'the ARM name for application properties is "properties"',
};

type Json = Record<string, unknown>;

class FieldProblem {
  constructor(readonly field: string, readonly problem: string) {}
}

function fail(path: string, problem: string): never {
  throw new FieldProblem(path, problem);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Json;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  return value;
}

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function onlyKnownFields(value: Json, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(at(path, key), `is not a known field${HINTS[key] ? ` (${HINTS[key]})` : ''}`);
  }
  for (const key of UNSUPPORTED) {
    if (value[key] !== undefined && value[key] !== false && value[key] !== '') {
      fail(at(path, key), 'is not supported by the local Service Bus stand-in');
    }
  }
}

function name(value: Json, path: string): string {
  const text = value['name'];
  if (typeof text !== 'string' || text.trim() === '') fail(`${path}.name`, 'must be a non-empty string');
  if (/[\s\\?#]/.test(text)) fail(`${path}.name`, `must not contain whitespace, "\\", "?" or "#" (got "${text}")`);
  return text;
}

function optional(value: Json, field: string, type: 'string' | 'boolean' | 'number', path: string): void {
  const v = value[field];
  if (v !== undefined && typeof v !== type) fail(`${path}.${field}`, `must be a ${type}`);
}

function duration(value: Json, field: string, path: string): void {
  const v = value[field];
  if (v === undefined) return;
  const ms = typeof v === 'string' ? parseIsoDuration(v) : undefined;
  if (ms === undefined || ms <= 0) fail(`${path}.${field}`, `must be a positive ISO-8601 duration such as "PT1M" (got ${JSON.stringify(v)})`);
}

function receiverSettings(value: Json, path: string): void {
  const count = value['maxDeliveryCount'];
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    fail(`${path}.maxDeliveryCount`, 'must be an integer of at least 1');
  }
  duration(value, 'lockDuration', path);
  duration(value, 'defaultMessageTimeToLive', path);
  optional(value, 'deadLetteringOnMessageExpiration', 'boolean', path);
}

function senderSettings(value: Json, path: string): void {
  optional(value, 'requiresDuplicateDetection', 'boolean', path);
  duration(value, 'duplicateDetectionHistoryTimeWindow', path);
  duration(value, 'defaultMessageTimeToLive', path);
}

function validateRule(raw: unknown, path: string): void {
  const rule = object(raw, path);
  onlyKnownFields(rule, RULE_FIELDS, path);
  name(rule, path);
  if (rule['action'] !== undefined) fail(`${path}.action`, 'rule actions are not supported by the local Service Bus stand-in');
  const hasCorrelation = rule['correlationFilter'] !== undefined;
  const hasSql = rule['sqlFilter'] !== undefined;
  if (hasCorrelation === hasSql) fail(path, 'needs exactly one of "correlationFilter" or "sqlFilter"');
  const filterType = rule['filterType'];
  if (filterType !== undefined && filterType !== (hasSql ? 'SqlFilter' : 'CorrelationFilter')) {
    fail(`${path}.filterType`, `${JSON.stringify(filterType)} does not match the filter given`);
  }
  if (hasSql) {
    const sql = object(rule['sqlFilter'], `${path}.sqlFilter`);
    onlyKnownFields(sql, SQL_FIELDS, `${path}.sqlFilter`);
    const expression = sql['sqlExpression'];
    if (typeof expression !== 'string') fail(`${path}.sqlFilter.sqlExpression`, 'must be a string');
    if (evaluateTrivialSql(expression) === undefined) {
      fail(`${path}.sqlFilter.sqlExpression`, `"${expression}" is not supported by the local stand-in (only "1=1" and "1=0"); use a correlationFilter`);
    }
    return;
  }
  const correlation = object(rule['correlationFilter'], `${path}.correlationFilter`);
  onlyKnownFields(correlation, CORRELATION_FIELDS, `${path}.correlationFilter`);
  for (const field of CORRELATION_FIELDS.filter((f) => f !== 'properties' && f !== 'requiresPreprocessing')) {
    optional(correlation, field, 'string', `${path}.correlationFilter`);
  }
  const properties = correlation['properties'];
  if (properties !== undefined) {
    for (const [key, v] of Object.entries(object(properties, `${path}.correlationFilter.properties`))) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`${path}.correlationFilter.properties.${key}`, 'must be a string, number or boolean');
    }
  }
  if (!CORRELATION_FIELDS.some((f) => f !== 'requiresPreprocessing' && correlation[f] !== undefined)) {
    fail(`${path}.correlationFilter`, 'must set at least one field');
  }
}

/** Entity names are case-insensitive in Service Bus, so `Audit` and `audit` collide. */
function uniqueNames(items: ReadonlyArray<readonly [Json, string]>): void {
  const seen = new Set<string>();
  for (const [item, path] of items) {
    const key = String(item['name']).toLowerCase();
    if (seen.has(key)) fail(`${path}.name`, `"${String(item['name'])}" is declared twice (names are case-insensitive)`);
    seen.add(key);
  }
}

const withPaths = (items: readonly Json[], path: string): Array<readonly [Json, string]> => items.map((item, i) => [item, `${path}[${i}]`] as const);

/** Checks a parsed topology document; throws a TopologyError naming the offending field. */
export function validateTopology(raw: unknown, source = 'topology'): Topology {
  try {
    checkTopology(raw);
  } catch (error) {
    if (!(error instanceof FieldProblem)) throw error;
    throw new TopologyError(`${source}: ${error.field} ${error.problem}`, error.field);
  }
  return raw as Topology;
}

function checkTopology(raw: unknown): void {
  const root = object(raw, '(root)');
  onlyKnownFields(root, ['topics', 'queues', '$comment', '$schema'], '');
  const topics = array(root['topics'], 'topics').map((t, i) => object(t, `topics[${i}]`));
  const queues = root['queues'] === undefined ? [] : array(root['queues'], 'queues').map((q, i) => object(q, `queues[${i}]`));
  topics.forEach((topic, i) => {
    const path = `topics[${i}]`;
    onlyKnownFields(topic, TOPIC_FIELDS, path);
    name(topic, path);
    senderSettings(topic, path);
    const subscriptions = array(topic['subscriptions'], `${path}.subscriptions`).map((s, j) => object(s, `${path}.subscriptions[${j}]`));
    subscriptions.forEach((subscription, j) => {
      const subPath = `${path}.subscriptions[${j}]`;
      onlyKnownFields(subscription, SUBSCRIPTION_FIELDS, subPath);
      if (name(subscription, subPath).includes('/')) fail(`${subPath}.name`, 'must not contain "/"');
      receiverSettings(subscription, subPath);
      const rules = subscription['rules'] === undefined ? [] : array(subscription['rules'], `${subPath}.rules`);
      rules.forEach((rule, k) => validateRule(rule, `${subPath}.rules[${k}]`));
      uniqueNames(withPaths(rules as Json[], `${subPath}.rules`));
    });
    uniqueNames(withPaths(subscriptions, `${path}.subscriptions`));
  });
  queues.forEach((queue, i) => {
    const path = `queues[${i}]`;
    onlyKnownFields(queue, QUEUE_FIELDS, path);
    name(queue, path);
    senderSettings(queue, path);
    receiverSettings(queue, path);
  });
  uniqueNames([...withPaths(topics, 'topics'), ...withPaths(queues, 'queues')]);
}

/** The repository root: the nearest ancestor of this module holding package.json (works from infra/ and dist/infra/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new TopologyError('cannot find the repository root (no package.json above infra/servicebus)');
    dir = parent;
  }
  return dir;
}

/** Reads and validates infra/topology.json (or the given file). */
export function loadTopology(path?: string): Topology {
  const file = path === undefined ? join(repoRoot(), 'infra', 'topology.json') : resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TopologyError(`${file}: cannot read topology (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return validateTopology(parsed, file);
}
