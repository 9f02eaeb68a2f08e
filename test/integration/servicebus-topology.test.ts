import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIsoDuration } from '../../infra/servicebus/duration.js';
import { compileRules } from '../../infra/servicebus/filters.js';
import { loadTopology, startServiceBusStandIn, TopologyError, validateTopology } from '../../infra/servicebus/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'sb-topology-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A valid one-topic topology with `patch` applied to its only subscription. */
function withSubscription(patch: Record<string, unknown>): unknown {
  return { topics: [{ name: 't', subscriptions: [{ name: 's', ...patch }] }] };
}

function problemWith(raw: unknown): TopologyError {
  try {
    validateTopology(raw, 'test.json');
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error('expected the topology to be rejected');
}

describe('loadTopology', () => {
  it('reads the repository topology by default', () => {
    const topology = loadTopology();
    expect(topology.topics.map((topic) => topic.name)).toEqual(['user-events']);
    const [topic] = topology.topics;
    expect(topic?.requiresDuplicateDetection).toBe(true);
    expect(topic?.subscriptions.map((sub) => sub.name)).toEqual(['audit', 'presence', 'realtime']);
    expect(topic?.subscriptions[1]?.rules?.map((rule) => rule.name)).toEqual(['userLogin', 'userLogout', 'userStatusChange']);
  });

  it('names the file when it is missing or not JSON', () => {
    const missing = join(scratch, 'missing.json');
    expect(() => loadTopology(missing)).toThrow(new RegExp(`${missing}: cannot read topology`));
    const broken = join(scratch, 'broken.json');
    writeFileSync(broken, '{ "topics": [ ');
    expect(() => loadTopology(broken)).toThrow(/broken\.json: not valid JSON/);
  });

  it('names the bad field of a file', () => {
    const file = join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify(withSubscription({ lockDuration: '1 minute' })));
    expect(() => loadTopology(file)).toThrow(`${file}: topics[0].subscriptions[0].lockDuration must be a positive ISO-8601 duration such as "PT1M" (got "1 minute")`);
  });
});

describe('validateTopology', () => {
  it('requires a topics array', () => {
    expect(problemWith({ queues: [] }).message).toBe('test.json: topics must be an array');
  });

  it('rejects SQL filters other than 1=1 and 1=0', () => {
    const error = problemWith(withSubscription({ rules: [{ name: 'r', sqlFilter: { sqlExpression: "sys.Label = 'x'" } }] }));
    expect(error.field).toBe('topics[0].subscriptions[0].rules[0].sqlFilter.sqlExpression');
    expect(error.message).toContain('only "1=1" and "1=0"');
    expect(() => validateTopology(withSubscription({ rules: [{ name: 'r', sqlFilter: { sqlExpression: ' 1 = 0 ' } }] }))).not.toThrow();
  });

  it('points at the ARM spelling when the SDK spelling is used', () => {
    const error = problemWith(withSubscription({ rules: [{ name: 'r', correlationFilter: { subject: 'userLogin' } }] }));
    expect(error.field).toBe('topics[0].subscriptions[0].rules[0].correlationFilter.subject');
    expect(error.message).toContain('"label"');
  });

  it('rejects a rule with both or neither filter, and an empty correlation filter', () => {
    expect(problemWith(withSubscription({ rules: [{ name: 'r' }] })).message).toContain('needs exactly one of "correlationFilter" or "sqlFilter"');
    expect(problemWith(withSubscription({ rules: [{ name: 'r', correlationFilter: {} }] })).message).toContain('must set at least one field');
  });

  it('rejects duplicate names case-insensitively', () => {
    const raw = { topics: [{ name: 't', subscriptions: [{ name: 'Audit' }, { name: 'audit' }] }] };
    expect(problemWith(raw).message).toBe('test.json: topics[0].subscriptions[1].name "audit" is declared twice (names are case-insensitive)');
  });

  it('rejects bad settings and features the stand-in does not emulate', () => {
    expect(problemWith(withSubscription({ maxDeliveryCount: 0 })).field).toBe('topics[0].subscriptions[0].maxDeliveryCount');
    expect(problemWith(withSubscription({ requiresSession: true })).message).toContain('requiresSession is not supported');
    expect(problemWith(withSubscription({ lockDurationn: 'PT1M' })).message).toContain('lockDurationn is not a known field');
    expect(problemWith({ topics: [], queues: [{ name: 'q', duplicateDetectionHistoryTimeWindow: 'P1Y' }] }).field).toBe('queues[0].duplicateDetectionHistoryTimeWindow');
  });

  it('accepts ARM properties it ignores', () => {
    const raw = { topics: [{ name: 't', maxSizeInMegabytes: 1024, subscriptions: [{ name: 's', enableBatchedOperations: true }] }] };
    expect(validateTopology(raw).topics[0]?.name).toBe('t');
  });

  it('is applied when the broker starts', async () => {
    await expect(startServiceBusStandIn({ topology: withSubscription({ lockDuration: 'soon' }) as never })).rejects.toThrow(/lockDuration/);
  });
});

describe('parseIsoDuration', () => {
  it('reads the TimeSpan forms ARM uses', () => {
    expect(parseIsoDuration('PT1M')).toBe(60_000);
    expect(parseIsoDuration('PT1S')).toBe(1_000);
    expect(parseIsoDuration('PT0.5S')).toBe(500);
    expect(parseIsoDuration('P14D')).toBe(14 * 86_400_000);
    expect(parseIsoDuration('P1DT2H3M4S')).toBe(86_400_000 + 2 * 3_600_000 + 3 * 60_000 + 4_000);
    // TimeSpan.MaxValue, ARM's default time to live, rounded to whole milliseconds.
    expect(parseIsoDuration('P10675199DT2H48M5.4775807S')).toBe(922_337_203_685_478);
  });

  it('refuses malformed and ambiguous durations', () => {
    for (const text of ['', 'P', 'PT', '1M', 'PT1', 'P1Y', 'P1M', 'P1DT']) expect(parseIsoDuration(text), text).toBeUndefined();
  });
});

describe('compileRules', () => {
  const facts = { subject: 'userLogin', correlationId: 'c-1', applicationProperties: { tenant: 'a', priority: 2 } };

  it('takes everything without rules and applies any-of semantics with rules', () => {
    expect(compileRules([])({ applicationProperties: {} })).toBe(true);
    const filter = compileRules([
      { name: 'logout', correlationFilter: { label: 'userLogout' } },
      { name: 'tenant', correlationFilter: { properties: { tenant: 'a', priority: 2 } } },
    ]);
    expect(filter(facts)).toBe(true);
    expect(filter({ ...facts, applicationProperties: { tenant: 'a', priority: '2' } })).toBe(false);
  });

  it('requires every given field of a correlation filter to match', () => {
    expect(compileRules([{ name: 'r', correlationFilter: { label: 'userLogin', correlationId: 'c-1' } }])(facts)).toBe(true);
    expect(compileRules([{ name: 'r', correlationFilter: { label: 'userLogin', correlationId: 'c-2' } }])(facts)).toBe(false);
    expect(compileRules([{ name: 'r', sqlFilter: { sqlExpression: '1=0' } }])(facts)).toBe(false);
  });
});
