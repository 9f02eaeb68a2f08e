/**
 * Settings of the local host's Service Bus triggers, read the way the Functions host reads them:
 * `extensions.serviceBus` in host.json (extension v5 names and defaults), the trigger's own options,
 * and the connection named by the trigger's `connection` app setting.
 */
import { availableParallelism } from 'node:os';
import type { LoadedFunction } from './functions-runtime.js';

export interface ServiceBusHostOptions {
  maxConcurrentCalls: number;
  /** Messages per invocation at most, for `cardinality: 'many'` triggers. */
  maxMessageBatchSize: number;
  autoCompleteMessages: boolean;
  maxAutoLockRenewalMs: number;
  /** host.json keys the local host reads but does not act on, for a log line. */
  ignored: string[];
}

const HONOURED = ['maxConcurrentCalls', 'maxMessageBatchSize', 'autoCompleteMessages', 'maxAutoLockRenewalDuration'];

/** A .NET TimeSpan as host.json writes it: `[d.]hh:mm[:ss[.fffffff]]`; undefined when malformed. */
export function parseTimeSpan(text: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const ms = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
  return ms + Math.round(Number(`0.${fraction || '0'}`) * 1000);
}

/** host.json `extensions.serviceBus`, with the extension's defaults; throws naming a malformed key. */
export function serviceBusHostOptions(hostJson: Record<string, unknown>): ServiceBusHostOptions {
  const extensions = hostJson['extensions'] as Record<string, unknown> | undefined;
  const section = (extensions?.['serviceBus'] ?? {}) as Record<string, unknown>;
  const where = (key: string) => `host.json extensions.serviceBus.${key}`;
  // The extension's default: 16 calls per processor core.
  let maxConcurrentCalls = 16 * availableParallelism();
  if (section['maxConcurrentCalls'] !== undefined) {
    const value = section['maxConcurrentCalls'];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${where('maxConcurrentCalls')} must be an integer of at least 1`);
    maxConcurrentCalls = value;
  }
  // The extension's default batch: 1,000 messages.
  let maxMessageBatchSize = 1000;
  if (section['maxMessageBatchSize'] !== undefined) {
    const value = section['maxMessageBatchSize'];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${where('maxMessageBatchSize')} must be an integer of at least 1`);
    maxMessageBatchSize = value;
  }
  const autoComplete = section['autoCompleteMessages'];
  if (autoComplete !== undefined && typeof autoComplete !== 'boolean') throw new Error(`${where('autoCompleteMessages')} must be true or false`);
  let maxAutoLockRenewalMs = 5 * 60_000;
  if (section['maxAutoLockRenewalDuration'] !== undefined) {
    const value = section['maxAutoLockRenewalDuration'];
    const ms = typeof value === 'string' ? parseTimeSpan(value) : undefined;
    if (ms === undefined) throw new Error(`${where('maxAutoLockRenewalDuration')} must be a TimeSpan such as "00:05:00"`);
    maxAutoLockRenewalMs = ms;
  }
  return {
    maxConcurrentCalls,
    maxMessageBatchSize,
    autoCompleteMessages: autoComplete ?? true,
    maxAutoLockRenewalMs,
    ignored: Object.keys(section).filter((key) => !HONOURED.includes(key)),
  };
}

/** Refuses at load what the local host does not emulate, rather than behaving differently. */
export function checkTriggerSupported(fn: LoadedFunction): void {
  const t = fn.trigger;
  if (t['cardinality'] !== undefined && !['one', 'many'].includes(String(t['cardinality']).toLowerCase())) {
    throw new Error(`Function "${fn.name}": cardinality "${String(t['cardinality'])}" is neither "one" nor "many"`);
  }
  if (t['isSessionsEnabled'] === true) throw new Error(`Function "${fn.name}": session-enabled Service Bus triggers are not supported by the local host`);
  if (t['sdkBinding'] === true) throw new Error(`Function "${fn.name}": sdkBinding (SDK-type binding) is not supported by the local host`);
  if (typeof t['topicName'] !== 'string' && typeof t['queueName'] !== 'string') {
    throw new Error(`Function "${fn.name}": a Service Bus trigger needs a queueName, or a topicName and subscriptionName`);
  }
  if (typeof t['topicName'] === 'string' && typeof t['subscriptionName'] !== 'string') {
    throw new Error(`Function "${fn.name}": a Service Bus topic trigger needs a subscriptionName`);
  }
}

export type ServiceBusConnection =
  | { setting: string; connectionString: string }
  | { setting: string; fullyQualifiedNamespace: string; credential?: string; clientId?: string };

/**
 * The connection a trigger names, looked up like the extension does: `AzureWebJobs<name>` then
 * `<name>`, each either a connection string or a section with `__fullyQualifiedNamespace`.
 */
export function resolveConnection(connection: unknown, env: NodeJS.ProcessEnv): ServiceBusConnection {
  const name = typeof connection === 'string' && connection !== '' ? connection : 'ServiceBus';
  for (const setting of [`AzureWebJobs${name}`, name]) {
    const value = env[setting];
    if (value !== undefined && value.trim() !== '') return { setting, connectionString: value };
    const namespace = env[`${setting}__fullyQualifiedNamespace`];
    if (namespace !== undefined && namespace.trim() !== '') {
      const credential = env[`${setting}__credential`];
      const clientId = env[`${setting}__clientId`];
      return { setting, fullyQualifiedNamespace: namespace, ...(credential ? { credential } : {}), ...(clientId ? { clientId } : {}) };
    }
  }
  // The extension's own words (ServiceBusClientFactory.ResolveConnectionInformation).
  throw new Error(`Service Bus connection '${name}' does not exist. Make sure that it is a defined App Setting.`);
}

/** `cardinality: 'many'`: the function takes the messages in batches. */
export function takesBatches(fn: LoadedFunction): boolean {
  return String(fn.trigger['cardinality'] ?? 'one').toLowerCase() === 'many';
}

/** The trigger's autoCompleteMessages wins over host.json's. */
export function autoCompletes(fn: LoadedFunction, options: ServiceBusHostOptions): boolean {
  const own = fn.trigger['autoCompleteMessages'];
  return typeof own === 'boolean' ? own : options.autoCompleteMessages;
}
