/** OpenTelemetry loads only with a connection string; the invocation line carries names and numbers only. */
import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { startTelemetry } from '../../functions/platform/features/telemetry.js';
import { invocationLine, noteCaller } from '../../functions/platform/telemetry.js';

describe('startTelemetry', () => {
  it('never imports the exporter without APPLICATIONINSIGHTS_CONNECTION_STRING', async () => {
    let loaded = 0;
    const load = async () => {
      loaded++;
      return { startAzureMonitor: async () => {} };
    };
    expect(await startTelemetry({ telemetry: { requestLog: 'json', applicationInsightsConnectionString: undefined }, azureClientId: undefined }, load)).toBe(false);
    expect(loaded).toBe(0);
    const started: unknown[] = [];
    const withString = { telemetry: { requestLog: 'json' as const, applicationInsightsConnectionString: 'InstrumentationKey=x' }, azureClientId: 'id' };
    expect(await startTelemetry(withString, async () => ({ startAzureMonitor: async (s: unknown) => void started.push(s) }))).toBe(true);
    expect(started).toEqual([{ connectionString: 'InstrumentationKey=x', azureClientId: 'id' }]);
  });

  it('runs without telemetry when the exporter fails to start', async () => {
    const failing = async () => ({ startAzureMonitor: async () => Promise.reject(new Error('no network')) });
    const config = { telemetry: { requestLog: 'json' as const, applicationInsightsConnectionString: 'InstrumentationKey=x' }, azureClientId: undefined };
    expect(await startTelemetry(config, failing)).toBe(false);
  });
});

describe('invocationLine', () => {
  it('names the route template and the caller role of a request, and no part of the request itself', () => {
    const context = new InvocationContext({ invocationId: 'inv-1', functionName: 'compatPutUser', options: { trigger: { type: 'httpTrigger', name: 'req', route: 'users/{id}' } } as never });
    const request = { url: 'http://x/api/users/123?email=a@b.c', headers: { authorization: 'Bearer secret-token' } };
    noteCaller(request as never, { subject: '123', kind: 'player', sessionId: 's', roles: ['player', 'admin'], username: 'root' });
    const line = invocationLine(context, request, { status: 409 }, undefined, 12.4);
    expect(line).toEqual({ invocationId: 'inv-1', function: 'compatPutUser', trigger: 'httpTrigger', route: 'users/{id}', status: 409, durationMs: 12, callerRole: 'admin' });
    expect(invocationLine(context, {}, undefined, new Error('boom'), 1)).toMatchObject({ status: 500, callerRole: 'anonymous' });
  });

  it('says succeeded or failed for a timer or subscriber run', () => {
    const context = new InvocationContext({ invocationId: 'inv-2', functionName: 'syncActivity', options: { trigger: { type: 'timerTrigger', name: 't' } } as never });
    expect(invocationLine(context, {}, undefined, undefined, 3)).toEqual({ invocationId: 'inv-2', function: 'syncActivity', trigger: 'timerTrigger', status: 'succeeded', durationMs: 3 });
    expect(invocationLine(context, {}, undefined, new Error('x'), 3).status).toBe('failed');
  });
});
