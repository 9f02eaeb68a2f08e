/**
 * Service Bus triggers in the local host: each `serviceBusTrigger` function gets a peek-lock
 * receiver (the official SDK) on its queue or topic subscription and is invoked once per message,
 * as the Functions host's ServiceBusProcessor does: up to maxConcurrentCalls at a time, the lock
 * renewed while the function runs, completed on success (autoCompleteMessages) and abandoned when
 * it throws, so the broker redelivers and dead-letters after the entity's maxDeliveryCount.
 * A `cardinality: 'many'` function is invoked once per batch instead, as the extension's batch
 * loop does: up to maxMessageBatchSize messages, one batch at a time, no lock renewal, and the
 * whole batch completed or abandoned together.
 */
import type { ProcessErrorArgs, ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import type { TokenCredential } from '@azure/identity';
import type { FunctionsRuntime, LoadedFunction, Logger } from './functions-runtime.js';
import { autoCompletes, checkTriggerSupported, resolveConnection, serviceBusHostOptions, takesBatches, type ServiceBusConnection } from './service-bus-settings.js';
import type { TriggerInputs } from './trigger-inputs.js';

export interface ServiceBusTriggers {
  /** Stops receiving, waits for running invocations to settle their messages, closes every link. */
  stop(): Promise<void>;
}

interface Plan {
  fn: LoadedFunction;
  connection: ServiceBusConnection;
  autoComplete: boolean;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function credentialFor(connection: { credential?: string; clientId?: string }): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  if (connection.credential?.toLowerCase() === 'managedidentity') {
    return connection.clientId ? new identity.ManagedIdentityCredential({ clientId: connection.clientId }) : new identity.ManagedIdentityCredential();
  }
  return new identity.DefaultAzureCredential(connection.clientId ? { managedIdentityClientId: connection.clientId } : {});
}

/**
 * Renews the message lock while the function runs, up to maxMs after receipt, like the .NET
 * processor: shortly before it lapses (10 s ahead, or halfway through a short lock).
 */
function keepLocked(receiver: ServiceBusReceiver, msg: ServiceBusReceivedMessage, maxMs: number, onError: (error: unknown) => void): () => void {
  const deadline = Date.now() + maxMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const plan = () => {
    const remaining = (msg.lockedUntilUtc?.getTime() ?? Date.now()) - Date.now();
    const wait = Math.max(0, remaining > 20_000 ? remaining - 10_000 : remaining / 2);
    if (stopped || Date.now() + wait >= deadline) return;
    timer = setTimeout(() => {
      receiver.renewMessageLock(msg).then(plan, (error: unknown) => {
        if (!stopped) onError(error);
      });
    }, wait);
  };
  if (maxMs > 0) plan();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** What startServiceBusTriggers will receive for, checked: the triggers, their connections and the host.json options. */
export interface ServiceBusPlan {
  plans: Plan[];
  options: ReturnType<typeof serviceBusHostOptions>;
}

/** Checks every Service Bus trigger and its connection; throws, naming the function, if one is wrong. Opens nothing. */
export function planServiceBusTriggers(runtime: FunctionsRuntime, hostJson: Record<string, unknown>): ServiceBusPlan {
  const functions = runtime.functions.filter((f) => f.trigger.type === 'serviceBusTrigger');
  const options = serviceBusHostOptions(hostJson);
  const plans: Plan[] = functions.map((fn) => {
    checkTriggerSupported(fn);
    try {
      return { fn, connection: resolveConnection(fn.trigger['connection'], process.env), autoComplete: autoCompletes(fn, options) };
    } catch (error) {
      throw new Error(`Function "${fn.name}" cannot start: ${message(error)}`);
    }
  });
  return { plans, options };
}

/** Starts receiving for a checked plan; the SDK is imported only when there is a trigger to serve. */
export async function startServiceBusTriggers(
  { plans, options }: ServiceBusPlan,
  runtime: FunctionsRuntime,
  inputs: TriggerInputs,
  log: Logger,
): Promise<ServiceBusTriggers> {
  if (plans.length === 0) return { stop: async () => {} };
  if (options.ignored.length > 0) log(`[host] extensions.serviceBus: ${options.ignored.join(', ')} not used by the local host`);
  const { RetryMode, ServiceBusClient } = await import('@azure/service-bus');

  const clients = new Map<string, ServiceBusClient>();
  const receivers: ServiceBusReceiver[] = [];
  const subscriptions: { close(): Promise<void> }[] = [];
  const running = new Set<Promise<void>>();
  let stopping = false;

  const clientFor = async (connection: ServiceBusConnection): Promise<ServiceBusClient> => {
    let client = clients.get(connection.setting);
    if (!client) {
      // The SDK's default waits 30 s between reconnect attempts; the host's .NET client is back within
      // seconds of the broker, and so is this one.
      const retryOptions = { retryOptions: { mode: RetryMode.Exponential, retryDelayInMs: 250, maxRetryDelayInMs: 2_000, maxRetries: 5 } };
      client = 'connectionString' in connection
        ? new ServiceBusClient(connection.connectionString, retryOptions)
        : new ServiceBusClient(connection.fullyQualifiedNamespace, await credentialFor(connection), retryOptions);
      clients.set(connection.setting, client);
    }
    return client;
  };

  async function handle(plan: Plan, receiver: ServiceBusReceiver, client: ServiceBusClient, msg: ServiceBusReceivedMessage): Promise<void> {
    const { fn } = plan;
    const started = performance.now();
    const stopRenewal = keepLocked(receiver, msg, options.maxAutoLockRenewalMs, (error) => log(`[${fn.name}] message ${String(msg.messageId)}: lock renewal failed: ${message(error)}`));
    let failed = false;
    try {
      await runtime.invoke(fn, inputs.serviceBus(fn, msg, { fullyQualifiedNamespace: client.fullyQualifiedNamespace, identifier: client.identifier }));
    } catch (error) {
      failed = true;
      log(message(error));
    } finally {
      stopRenewal();
    }
    let outcome = failed ? 'abandoned' : plan.autoComplete ? 'completed' : 'left locked (autoCompleteMessages is false)';
    try {
      // The host abandons a failed message whatever autoCompleteMessages says; without
      // autoComplete a Node function cannot settle, so the lock lapses and the broker redelivers.
      if (failed) await receiver.abandonMessage(msg);
      else if (plan.autoComplete) await receiver.completeMessage(msg);
    } catch (error) {
      outcome = `could not be ${failed ? 'abandoned' : 'completed'} (${message(error)})`;
    }
    log(`[${fn.name}] message ${String(msg.messageId)} ${outcome} ${Math.round(performance.now() - started)}ms`);
  }

  /** The extension's batch loop: receive up to a batch, invoke, settle every message, again. */
  async function runBatches(plan: Plan, receiver: ServiceBusReceiver, client: ServiceBusClient, stopped: AbortSignal): Promise<void> {
    const { fn } = plan;
    while (!stopped.aborted) {
      let batch: ServiceBusReceivedMessage[];
      try {
        batch = await receiver.receiveMessages(options.maxMessageBatchSize, { maxWaitTimeInMs: 60_000, abortSignal: stopped });
      } catch (error) {
        if (stopped.aborted) return;
        log(`[${fn.name}] Service Bus receive error: ${message(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (batch.length === 0) continue;
      const started = performance.now();
      let failed = false;
      try {
        await runtime.invoke(fn, inputs.serviceBusBatch(fn, batch, { fullyQualifiedNamespace: client.fullyQualifiedNamespace, identifier: client.identifier }));
      } catch (error) {
        failed = true;
        log(message(error));
      }
      const settle = (msg: ServiceBusReceivedMessage) => (failed ? receiver.abandonMessage(msg) : plan.autoComplete ? receiver.completeMessage(msg) : Promise.resolve());
      const settled = await Promise.allSettled(batch.map(settle));
      const unsettled = settled.filter((r) => r.status === 'rejected').length;
      const outcome = failed ? 'abandoned' : plan.autoComplete ? 'completed' : 'left locked (autoCompleteMessages is false)';
      log(`[${fn.name}] batch of ${batch.length} ${outcome}${unsettled > 0 ? ` (${unsettled} could not be settled)` : ''} ${Math.round(performance.now() - started)}ms`);
    }
  }

  const stopBatches = new AbortController();
  try {
    for (const plan of plans) {
      const client = await clientFor(plan.connection);
      const t = plan.fn.trigger;
      // Lock renewal is ours (keepLocked) so it stops when the function returns, as in the host.
      const receiverOptions = { receiveMode: 'peekLock' as const, maxAutoLockRenewalDurationInMs: 0, skipParsingBodyAsJson: true, skipConvertingDate: true };
      const receiver = typeof t['topicName'] === 'string'
        ? client.createReceiver(t['topicName'], String(t['subscriptionName']), receiverOptions)
        : client.createReceiver(String(t['queueName']), receiverOptions);
      receivers.push(receiver);
      if (takesBatches(plan.fn)) {
        const loop = runBatches(plan, receiver, client, stopBatches.signal).finally(() => running.delete(loop));
        running.add(loop);
        continue;
      }
      subscriptions.push(
        receiver.subscribe(
          {
            processMessage: (msg) => {
              const run = handle(plan, receiver, client, msg).finally(() => running.delete(run));
              running.add(run);
              return run;
            },
            processError: async (args: ProcessErrorArgs) => {
              if (!stopping) log(`[${plan.fn.name}] Service Bus ${args.errorSource} error on ${args.entityPath}: ${message(args.error)}`);
            },
          },
          { autoCompleteMessages: false, maxConcurrentCalls: options.maxConcurrentCalls },
        ),
      );
    }
  } catch (error) {
    stopBatches.abort();
    await Promise.allSettled([...subscriptions.map((s) => s.close()), ...receivers.map((r) => r.close())]);
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
    throw error;
  }

  return {
    async stop() {
      stopping = true;
      // A batch being processed still settles; a receive that is waiting ends now.
      stopBatches.abort();
      await Promise.allSettled(subscriptions.map((s) => s.close()));
      // Running invocations settle through the management link once the receiving link is closed.
      while (running.size > 0) await Promise.allSettled([...running]);
      await Promise.allSettled(receivers.map((r) => r.close()));
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
    },
  };
}
