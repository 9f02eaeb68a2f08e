/**
 * Microsoft's Service Bus emulator files: Config.json must be what `npm run emulator:config` makes of
 * infra/topology.json, and infra/docker-compose.yml must be a valid compose file that runs the
 * emulator with that config (checked by docker compose when one is installed, structurally always).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorConfig, emulatorConfigText, EMULATOR_CONFIG_PATH } from '../../infra/servicebus-emulator/generate-config.js';
import { loadTopology, type Topology } from '../../infra/servicebus/index.js';
import { ROOT } from '../support/stack.js';
import { parseYamlSubset, type YamlNode } from '../support/yaml-subset.js';

const COMPOSE = join(ROOT, 'infra', 'docker-compose.yml');
const EMULATOR_DURATION = /^P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

interface EmulatorEntity {
  Name: string;
  Properties: Record<string, unknown>;
  Subscriptions?: EmulatorEntity[];
  Rules?: { Name: string; Properties: Record<string, unknown> }[];
}
interface EmulatorConfig {
  UserConfig: { Namespaces: { Name: string; Queues: EmulatorEntity[]; Topics: EmulatorEntity[] }[]; Logging: { Type: string } };
}

describe("the emulator's Config.json", () => {
  it('is exactly what npm run emulator:config generates from infra/topology.json', () => {
    expect(readFileSync(EMULATOR_CONFIG_PATH, 'utf8')).toBe(emulatorConfigText(loadTopology()));
  });

  it('holds every topic, subscription and rule of the topology, within the emulator limits', () => {
    const topology = loadTopology();
    const config = JSON.parse(readFileSync(EMULATOR_CONFIG_PATH, 'utf8')) as EmulatorConfig;
    const [namespace] = config.UserConfig.Namespaces;
    expect(config.UserConfig.Namespaces).toHaveLength(1);
    expect(namespace?.Name).toBe('sbemulatorns');
    expect(config.UserConfig.Logging.Type).toBe('File');
    expect(namespace?.Topics.map((t) => t.Name)).toEqual(topology.topics.map((t) => t.name));
    for (const topic of topology.topics) {
      const emulated = namespace?.Topics.find((t) => t.Name === topic.name);
      expect(emulated?.Properties['RequiresDuplicateDetection']).toBe(topic.requiresDuplicateDetection ?? false);
      expect(emulated?.Subscriptions?.map((s) => s.Name)).toEqual(topic.subscriptions.map((s) => s.name));
      for (const subscription of topic.subscriptions) {
        const sub = emulated?.Subscriptions?.find((s) => s.Name === subscription.name);
        expect(sub?.Properties).toMatchObject({ MaxDeliveryCount: subscription.maxDeliveryCount ?? 10, LockDuration: subscription.lockDuration ?? 'PT1M' });
        expect(sub?.Rules?.map((r) => [r.Name, r.Properties['CorrelationFilter']]) ?? []).toEqual(
          (subscription.rules ?? []).map((r) => [r.name, 'correlationFilter' in r ? { Label: r.correlationFilter.label } : undefined]),
        );
      }
    }
    const durations = JSON.stringify(config).match(/"(DefaultMessageTimeToLive|DuplicateDetectionHistoryTimeWindow|LockDuration)":"[^"]*"/g) ?? [];
    expect(durations.length).toBeGreaterThan(0);
    for (const entry of durations) expect(entry.split(':"')[1]?.slice(0, -1)).toMatch(EMULATOR_DURATION);
    // Azure keeps events 14 days; the emulator allows an hour at most, so the generator says so.
    expect(namespace?.Topics[0]?.Properties['DefaultMessageTimeToLive']).toBe('PT1H');
    expect(emulatorConfig(topology).adjustments).toContain('topic user-events defaultMessageTimeToLive: 14d -> 1h (the emulator allows 5m to 1h)');
  });

  it('maps queues, SQL filters and correlation properties, clamping what the emulator cannot hold', () => {
    const topology: Topology = {
      topics: [{ name: 't', subscriptions: [{ name: 's', maxDeliveryCount: 50, rules: [{ name: 'all', sqlFilter: { sqlExpression: '1=1' } }, { name: 'a', correlationFilter: { properties: { tenant: 'a' }, to: 'x' } }] }] }],
      queues: [{ name: 'jobs', lockDuration: 'PT1S', maxDeliveryCount: 3, defaultMessageTimeToLive: 'PT10M' }],
    };
    const { config, adjustments } = emulatorConfig(topology) as { config: EmulatorConfig; adjustments: string[] };
    const [namespace] = config.UserConfig.Namespaces;
    expect(namespace?.Queues[0]).toEqual({
      Name: 'jobs',
      Properties: {
        DeadLetteringOnMessageExpiration: false,
        DefaultMessageTimeToLive: 'PT10M',
        DuplicateDetectionHistoryTimeWindow: 'PT5M',
        ForwardDeadLetteredMessagesTo: '',
        ForwardTo: '',
        LockDuration: 'PT5S',
        MaxDeliveryCount: 3,
        RequiresDuplicateDetection: false,
        RequiresSession: false,
      },
    });
    const sub = namespace?.Topics[0]?.Subscriptions?.[0];
    expect(sub?.Properties['MaxDeliveryCount']).toBe(10);
    expect(sub?.Rules).toEqual([
      { Name: 'all', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: '1=1' } } },
      { Name: 'a', Properties: { FilterType: 'Correlation', CorrelationFilter: { To: 'x', Properties: { tenant: 'a' } } } },
    ]);
    // Only the fields given reach the file.
    expect(JSON.stringify(sub?.Rules?.[1])).toBe('{"Name":"a","Properties":{"FilterType":"Correlation","CorrelationFilter":{"To":"x","Properties":{"tenant":"a"}}}}');
    expect(adjustments).toEqual(expect.arrayContaining(['queue jobs lockDuration: 1s -> 5s (the emulator allows 5s to 5m)', 'subscription t/s maxDeliveryCount: 50 -> 10 (the emulator allows 1 to 10)']));
  });
});

/** docker-compose (v1) or the docker compose plugin, if either is on the PATH. */
function composeValidator(): string[] | null {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  return null;
}

const at = (node: YamlNode | undefined, ...path: string[]): YamlNode | undefined =>
  path.reduce<YamlNode | undefined>((n, key) => (n && typeof n === 'object' && !Array.isArray(n) ? n[key] : undefined), node);

describe('infra/docker-compose.yml', () => {
  it('runs the emulator with its SQL Server and the generated Config.json where the emulator reads it', () => {
    const validator = composeValidator();
    if (validator) {
      const [command = 'docker-compose', ...args] = validator;
      const result = spawnSync(command, [...args, '-f', COMPOSE, 'config', '-q'], { env: { ...process.env, ACCEPT_EULA: 'Y', MSSQL_SA_PASSWORD: 'Local-Test-Passw0rd' }, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }

    const compose = parseYamlSubset(readFileSync(COMPOSE, 'utf8'));
    const services = at(compose, 'services') as Record<string, YamlNode>;
    expect(Object.keys(services).sort()).toEqual(['servicebus-emulator', 'sqlserver']);
    const emulator = services['servicebus-emulator'];
    expect(String(at(emulator, 'image'))).toMatch(/^mcr\.microsoft\.com\/azure-messaging\/servicebus-emulator:/);
    expect(String(at(services, 'sqlserver', 'image'))).toMatch(/^mcr\.microsoft\.com\/mssql\/server:/);
    const volumes = at(emulator, 'volumes') as string[];
    const mount = volumes.find((v) => v.includes(':/ServiceBus_Emulator/ConfigFiles/Config.json'));
    expect(mount).toBeDefined();
    // Relative paths in a compose file are relative to its folder.
    expect(resolve(join(ROOT, 'infra'), String(mount?.split(':')[0]))).toBe(EMULATOR_CONFIG_PATH);
    expect(existsSync(EMULATOR_CONFIG_PATH)).toBe(true);
    expect(at(emulator, 'environment', 'SQL_SERVER')).toBe('sqlserver');
    expect(at(emulator, 'depends_on')).toEqual(['sqlserver']);
    expect(at(emulator, 'ports')).toContain('5672:5672');
    for (const service of ['servicebus-emulator', 'sqlserver']) {
      expect(String(at(services, service, 'environment', 'ACCEPT_EULA'))).toMatch(/^\$\{ACCEPT_EULA[:?}]/);
      expect(String(at(services, service, 'environment', 'MSSQL_SA_PASSWORD'))).toMatch(/^\$\{MSSQL_SA_PASSWORD[:?}]/);
    }
  });
});
