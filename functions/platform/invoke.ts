/**
 * Timer and Service Bus triggers receive their services the way HTTP handlers do (handle() in
 * http.ts): resolved once per invocation, so a test can call the handler with fakes instead.
 * Their errors are rethrown: the host retries a timer and redelivers or dead-letters a message.
 */
import type { InvocationContext } from '@azure/functions';
import { getServices, type Services } from './services.js';

export type TriggerHandler<T> = (trigger: T, services: Services, context: InvocationContext) => Promise<void>;

export function withServices<T>(handler: TriggerHandler<T>, services: () => Services | Promise<Services> = getServices): (trigger: T, context: InvocationContext) => Promise<void> {
  return async (trigger, context) => handler(trigger, await services(), context);
}
