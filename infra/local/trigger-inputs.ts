/** Builds the RPC-shaped invocation input the host would send the worker, per trigger type. */
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import type { InvocationRequest, RpcHttpData, RpcTypedData } from './core-api.js';
import type { LoadedFunction } from './functions-runtime.js';
import { manualServiceBusRequest, serviceBusBatchRequest, serviceBusRequest, type ClientFacts } from './service-bus-input.js';

export interface TimerFiring {
  isPastDue: boolean;
  last: Date | null;
  next: Date | null;
}

function single(fn: LoadedFunction, data: RpcTypedData, triggerMetadata: Record<string, RpcTypedData> = {}): InvocationRequest {
  return { inputData: [{ name: fn.trigger.name, data }], triggerMetadata };
}

export class TriggerInputs {
  http(fn: LoadedFunction, http: RpcHttpData): InvocationRequest {
    return single(fn, { http });
  }

  timer(fn: LoadedFunction, firing: TimerFiring): InvocationRequest {
    // The host sends the timer info PascalCased; the library camel-cases it for the handler.
    const info = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: firing.last || firing.next
        ? { Last: firing.last?.toISOString(), Next: firing.next?.toISOString(), LastUpdated: new Date().toISOString() }
        : null,
      IsPastDue: firing.isPastDue,
    };
    return single(fn, { json: JSON.stringify(info) });
  }

  serviceBus(fn: LoadedFunction, message: ServiceBusReceivedMessage, client: ClientFacts): InvocationRequest {
    return serviceBusRequest(fn.trigger.name, message, fn.trigger['dataType'], client);
  }

  /** A batch, for `cardinality: 'many'`. */
  serviceBusBatch(fn: LoadedFunction, messages: ServiceBusReceivedMessage[], client: ClientFacts): InvocationRequest {
    return serviceBusBatchRequest(fn.trigger.name, messages, fn.trigger['dataType'], client);
  }

  /** POST /admin/functions/{name}: the input string becomes the trigger's payload. */
  manual(fn: LoadedFunction, input: string): InvocationRequest {
    if (fn.trigger.type === 'timerTrigger') return this.timer(fn, { isPastDue: false, last: null, next: null });
    if (fn.trigger.type === 'serviceBusTrigger') return manualServiceBusRequest(fn.trigger.name, input, fn.trigger['dataType']);
    return single(fn, { string: input });
  }
}
