/**
 * Microsoft's Service Bus emulator reads its entities from Config.json; this writes that file from
 * infra/topology.json so the emulator, the local stand-in and Bicep cannot drift apart.
 * `npm run emulator:config` (after a build): node dist/infra/servicebus-emulator/generate-config.js
 *
 * Schema: Azure/azure-service-bus-emulator-installer ServiceBus-Emulator/Schema/Config-schema.json.
 * The emulator accepts one namespace named "sbemulatorns" and narrower ranges than Azure (for example
 * at most an hour of message TTL); values outside them are clamped and reported.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../functions/platform/version.js';
import { describeDuration, parseIsoDuration } from '../servicebus/duration.js';
import { loadTopology, type CorrelationFilter, type RuleDefinition, type Topology } from '../servicebus/index.js';

export const EMULATOR_CONFIG_PATH = join(PROJECT_ROOT, 'infra', 'servicebus-emulator', 'Config.json');

const MINUTE = 60_000;
// The emulator's limits (Config-schema.json descriptions), in milliseconds.
const LIMITS = {
  ttl: [5 * MINUTE, 60 * MINUTE],
  duplicateWindow: [5_000, 5 * MINUTE],
  queueLock: [5_000, 5 * MINUTE],
  subscriptionLock: [MINUTE, 5 * MINUTE],
  maxDeliveryCount: [1, 10],
} as const;
// Azure's defaults where the topology leaves a property out (TTL: forever, clamped to the emulator's hour).
const DEFAULTS = { ttl: 'P10675199D', duplicateWindow: 'PT10M', lock: 'PT1M', maxDeliveryCount: 10 };

/** ms as the emulator's duration pattern wants it: whole hours, minutes and seconds. */
function isoDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

export interface EmulatorConfigResult {
  config: unknown;
  /** Values changed to fit the emulator, one line each. */
  adjustments: string[];
}

export function emulatorConfig(topology: Topology): EmulatorConfigResult {
  const adjustments: string[] = [];
  const clamp = (where: string, value: number, [min, max]: readonly [number, number], show: (n: number) => string): number => {
    const fitted = Math.min(Math.max(value, min), max);
    if (fitted !== value) adjustments.push(`${where}: ${show(value)} -> ${show(fitted)} (the emulator allows ${show(min)} to ${show(max)})`);
    return fitted;
  };
  const duration = (where: string, iso: string | undefined, fallback: string, range: readonly [number, number]): string =>
    isoDuration(clamp(where, parseIsoDuration(iso ?? fallback) ?? 0, range, describeDuration));
  const count = (where: string, value: number | undefined): number => clamp(where, value ?? DEFAULTS.maxDeliveryCount, LIMITS.maxDeliveryCount, String);

  const rule = (r: RuleDefinition) => {
    if ('sqlFilter' in r) return { Name: r.name, Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: r.sqlFilter.sqlExpression } } };
    const f: CorrelationFilter = r.correlationFilter;
    const filter = {
      ContentType: f.contentType,
      CorrelationId: f.correlationId,
      Label: f.label,
      MessageId: f.messageId,
      ReplyTo: f.replyTo,
      ReplyToSessionId: f.replyToSessionId,
      SessionId: f.sessionId,
      To: f.to,
      Properties: f.properties,
    };
    // JSON.stringify drops the undefined fields, as the emulator wants only the ones given.
    return { Name: r.name, Properties: { FilterType: 'Correlation', CorrelationFilter: filter } };
  };

  const config = {
    UserConfig: {
      Namespaces: [
        {
          Name: 'sbemulatorns',
          Queues: (topology.queues ?? []).map((q) => ({
            Name: q.name,
            Properties: {
              DeadLetteringOnMessageExpiration: q.deadLetteringOnMessageExpiration ?? false,
              DefaultMessageTimeToLive: duration(`queue ${q.name} defaultMessageTimeToLive`, q.defaultMessageTimeToLive, DEFAULTS.ttl, LIMITS.ttl),
              DuplicateDetectionHistoryTimeWindow: duration(`queue ${q.name} duplicateDetectionHistoryTimeWindow`, q.duplicateDetectionHistoryTimeWindow, DEFAULTS.duplicateWindow, LIMITS.duplicateWindow),
              ForwardDeadLetteredMessagesTo: '',
              ForwardTo: '',
              LockDuration: duration(`queue ${q.name} lockDuration`, q.lockDuration, DEFAULTS.lock, LIMITS.queueLock),
              MaxDeliveryCount: count(`queue ${q.name} maxDeliveryCount`, q.maxDeliveryCount),
              RequiresDuplicateDetection: q.requiresDuplicateDetection ?? false,
              RequiresSession: false,
            },
          })),
          Topics: topology.topics.map((t) => ({
            Name: t.name,
            Properties: {
              DefaultMessageTimeToLive: duration(`topic ${t.name} defaultMessageTimeToLive`, t.defaultMessageTimeToLive, DEFAULTS.ttl, LIMITS.ttl),
              DuplicateDetectionHistoryTimeWindow: duration(`topic ${t.name} duplicateDetectionHistoryTimeWindow`, t.duplicateDetectionHistoryTimeWindow, DEFAULTS.duplicateWindow, LIMITS.duplicateWindow),
              RequiresDuplicateDetection: t.requiresDuplicateDetection ?? false,
            },
            Subscriptions: t.subscriptions.map((s) => {
              const where = `subscription ${t.name}/${s.name}`;
              return {
                Name: s.name,
                Properties: {
                  DeadLetteringOnMessageExpiration: s.deadLetteringOnMessageExpiration ?? false,
                  DefaultMessageTimeToLive: duration(`${where} defaultMessageTimeToLive`, s.defaultMessageTimeToLive, DEFAULTS.ttl, LIMITS.ttl),
                  LockDuration: duration(`${where} lockDuration`, s.lockDuration, DEFAULTS.lock, LIMITS.subscriptionLock),
                  MaxDeliveryCount: count(`${where} maxDeliveryCount`, s.maxDeliveryCount),
                  ForwardDeadLetteredMessagesTo: '',
                  ForwardTo: '',
                  RequiresSession: false,
                },
                // No rules: the subscription keeps its default rule and receives everything.
                ...(s.rules && s.rules.length > 0 ? { Rules: s.rules.map(rule) } : {}),
              };
            }),
          })),
        },
      ],
      Logging: { Type: 'File' },
    },
  };
  return { config, adjustments };
}

/** The file's exact text, so a test can compare the committed file byte for byte. */
export function emulatorConfigText(topology: Topology): string {
  return `${JSON.stringify(emulatorConfig(topology).config, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const topology = loadTopology();
  for (const line of emulatorConfig(topology).adjustments) console.log(`adjusted ${line}`);
  writeFileSync(EMULATOR_CONFIG_PATH, emulatorConfigText(topology));
  console.log(`wrote ${relative(process.cwd(), EMULATOR_CONFIG_PATH)}`);
}
