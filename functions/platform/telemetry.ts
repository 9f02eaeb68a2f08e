/**
 * One structured JSON line per invocation (HTTP request, timer run, subscriber run), from the app's
 * invocation hooks: ids, names, status, duration and the caller's role; never a body, header,
 * token, email or secret, so nothing a caller sends can reach the log through it.
 */
import { app, type HttpRequest, type HttpResponse, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { Caller } from '../core/kernel/caller.js';

const callers = new WeakMap<object, Caller>();

/** authenticate() notes who called, so the request's line can say which role it was. */
export function noteCaller(request: HttpRequest, caller: Caller): void {
  callers.set(request, caller);
}

export type CallerRole = 'anonymous' | 'player' | 'admin' | 'game-server';

export function roleOf(caller: Caller | undefined): CallerRole {
  if (!caller) return 'anonymous';
  if (caller.kind === 'service') return 'game-server';
  return caller.roles.includes('admin') ? 'admin' : 'player';
}

export interface InvocationLine {
  invocationId: string;
  function: string;
  trigger: string;
  /** The route template (users/{id}), never the path: ids and query strings stay out. */
  route?: string;
  status: number | 'succeeded' | 'failed';
  durationMs: number;
  callerRole?: CallerRole;
}

function statusOf(result: unknown, error: unknown): number {
  if (error !== undefined) return 500;
  const status = (result as HttpResponseInit | HttpResponse | undefined)?.status;
  return typeof status === 'number' ? status : 200;
}

export function invocationLine(context: InvocationContext, input: unknown, result: unknown, error: unknown, durationMs: number): InvocationLine {
  const trigger = context.options.trigger;
  const line: InvocationLine = {
    invocationId: context.invocationId,
    function: context.functionName,
    trigger: trigger.type,
    status: 'failed',
    durationMs: Math.round(durationMs),
  };
  if (trigger.type === 'httpTrigger') {
    line.route = typeof trigger['route'] === 'string' ? trigger['route'] : context.functionName;
    line.status = statusOf(result, error);
    line.callerRole = roleOf(typeof input === 'object' && input !== null ? callers.get(input) : undefined);
  } else {
    line.status = error === undefined ? 'succeeded' : 'failed';
  }
  return line;
}

/** Registers the hooks once; `write` is where the line goes (context.info: Application Insights traces in Azure). */
export function installInvocationLog(): void {
  app.hook.preInvocation((hook) => {
    hook.hookData['startedAt'] = performance.now();
  });
  app.hook.postInvocation((hook) => {
    const started = hook.hookData['startedAt'];
    const duration = typeof started === 'number' ? performance.now() - started : 0;
    const line = invocationLine(hook.invocationContext, hook.inputs[0], hook.result, hook.error, duration);
    hook.invocationContext.info(JSON.stringify(line));
  });
}
