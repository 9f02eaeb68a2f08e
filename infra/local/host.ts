/**
 * The project's own functions host: serves exactly what the app registers through
 * @azure/functions (HTTP routes, timers, and Service Bus subscriptions), for machines where Core
 * Tools cannot be installed. `npm run start:func` runs the real host against the same stand-ins.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FunctionsRuntime, type LoadedFunction, type Logger } from './functions-runtime.js';
import type { CorsPolicy } from './cors.js';
import { withDeadline } from './deadline.js';
import { startHttpFrontEnd } from './http-front.js';
import { planServiceBusTriggers, startServiceBusTriggers } from './service-bus-triggers.js';
import { startTimers } from './timers.js';
import { TriggerInputs } from './trigger-inputs.js';

export interface LocalHostOptions {
  scriptRoot: string;
  host: string;
  port: number;
  log: Logger;
  verbose?: boolean;
  /** "json": the app's JSON invocation lines as they are, instead of the host's short request line; "none": neither. */
  logFormat?: 'short' | 'json' | 'none';
  cors?: CorsPolicy;
  /** How long stop() waits for running invocations before it gives up on them. */
  stopDeadlineMs?: number;
}

export interface LocalHost {
  url: string;
  port: number;
  functions: LoadedFunction[];
  stop(): Promise<void>;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function describeFunction(fn: LoadedFunction, baseUrl: string, routePrefix: string): string {
  const t = fn.trigger;
  switch (t.type) {
    case 'httpTrigger': {
      const methods = (t['methods'] as string[] | undefined)?.join(',') ?? 'ALL';
      return `${fn.name}: [${methods}] ${baseUrl}/${routePrefix ? `${routePrefix}/` : ''}${String(t['route'] ?? fn.name)}`;
    }
    case 'timerTrigger':
      return `${fn.name}: timerTrigger (${String(t['schedule'])})`;
    case 'serviceBusTrigger':
      return `${fn.name}: serviceBusTrigger (${typeof t['topicName'] === 'string' ? `${t['topicName']}/${String(t['subscriptionName'])}` : String(t['queueName'])})`;
    default:
      return `${fn.name}: ${t.type}`;
  }
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const pkg = readJson(resolve(options.scriptRoot, 'package.json'));
  if (typeof pkg['main'] !== 'string') throw new Error('package.json has no "main": the host cannot find the app');
  const hostJson = readJson(resolve(options.scriptRoot, 'host.json'));
  const http = (hostJson['extensions'] as { http?: { routePrefix?: string } } | undefined)?.http;
  const routePrefix = (http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');

  const runtime = await FunctionsRuntime.load(resolve(options.scriptRoot, pkg['main']), {
    log: options.log,
    verbose: options.verbose ?? false,
    rawJsonLines: options.logFormat === 'json',
  });
  const inputs = new TriggerInputs();
  // Service Bus settings first: a missing connection setting fails the start before anything listens.
  const serviceBusPlan = planServiceBusTriggers(runtime, hostJson);
  // Then the HTTP front listens while the Service Bus SDK loads and the receivers open.
  const [started, receiving] = await Promise.allSettled([
    startHttpFrontEnd({ runtime, inputs, host: options.host, port: options.port, routePrefix, log: options.log, requestLine: (options.logFormat ?? 'short') === 'short', ...(options.cors ? { cors: options.cors } : {}) }),
    startServiceBusTriggers(serviceBusPlan, runtime, inputs, options.log),
  ]);
  if (started.status === 'rejected' || receiving.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.close();
    if (receiving.status === 'fulfilled') await receiving.value.stop();
    throw started.status === 'rejected' ? started.reason : (receiving as PromiseRejectedResult).reason;
  }
  const [front, serviceBus] = [started.value, receiving.value];
  const timers = startTimers(runtime, inputs, options.log);

  options.log(`Functions:\n${runtime.functions.map((fn) => `  ${describeFunction(fn, front.url, routePrefix)}`).join('\n')}`);
  return {
    url: front.url,
    port: front.port,
    functions: runtime.functions,
    // An invocation that never ends must not keep the port: past the deadline the host stops anyway.
    async stop() {
      const deadline = Date.now() + (options.stopDeadlineMs ?? 3_000);
      const step = async (name: string, part: Promise<void>) => {
        if (!(await withDeadline(part, deadline - Date.now()))) options.log(`[host] ${name} did not stop in time; stopping without them`);
      };
      await step('Service Bus triggers', serviceBus.stop());
      await step('running timer invocations', timers.stop());
      await front.close();
      await step('appTerminate hooks', runtime.terminate());
    },
  };
}
