import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { LoadedFunction } from '../../infra/local/functions-runtime.js';
import { manualServiceBusRequest, netDate } from '../../infra/local/service-bus-input.js';
import { autoCompletes, checkTriggerSupported, parseTimeSpan, resolveConnection, serviceBusHostOptions } from '../../infra/local/service-bus-settings.js';

const trigger = (props: Record<string, unknown>): LoadedFunction =>
  ({ name: 'audit', trigger: { type: 'serviceBusTrigger', direction: 'in', name: 'message', connection: 'SB', topicName: 't', subscriptionName: 's', ...props } }) as unknown as LoadedFunction;

describe('host.json extensions.serviceBus', () => {
  it('defaults like the extension: 16 calls per core, autoComplete on, five minutes of lock renewal', () => {
    expect(serviceBusHostOptions({})).toEqual({ maxConcurrentCalls: 16 * availableParallelism(), maxMessageBatchSize: 1000, autoCompleteMessages: true, maxAutoLockRenewalMs: 300_000, ignored: [] });
  });
  it('reads the settings it honours and names the ones it does not', () => {
    const options = serviceBusHostOptions({
      extensions: { serviceBus: { maxConcurrentCalls: 4, maxMessageBatchSize: 50, autoCompleteMessages: false, maxAutoLockRenewalDuration: '00:00:30', prefetchCount: 10, clientRetryOptions: {} } },
    });
    expect(options).toEqual({ maxConcurrentCalls: 4, maxMessageBatchSize: 50, autoCompleteMessages: false, maxAutoLockRenewalMs: 30_000, ignored: ['prefetchCount', 'clientRetryOptions'] });
  });
  it('refuses malformed values, naming the key', () => {
    expect(() => serviceBusHostOptions({ extensions: { serviceBus: { maxConcurrentCalls: 0 } } })).toThrow(/extensions\.serviceBus\.maxConcurrentCalls/);
    expect(() => serviceBusHostOptions({ extensions: { serviceBus: { maxMessageBatchSize: 1.5 } } })).toThrow(/extensions\.serviceBus\.maxMessageBatchSize/);
    expect(() => serviceBusHostOptions({ extensions: { serviceBus: { maxAutoLockRenewalDuration: 'PT5M' } } })).toThrow(/maxAutoLockRenewalDuration must be a TimeSpan/);
    expect(() => serviceBusHostOptions({ extensions: { serviceBus: { autoCompleteMessages: 'yes' } } })).toThrow(/autoCompleteMessages/);
  });
  it('parses .NET TimeSpans', () => {
    expect(parseTimeSpan('00:05:00')).toBe(300_000);
    expect(parseTimeSpan('1.02:03:04.5')).toBe(((26 * 60 + 3) * 60 + 4) * 1000 + 500);
    expect(parseTimeSpan('00:10')).toBe(600_000);
    expect(parseTimeSpan('00:61:00')).toBeUndefined();
    expect(parseTimeSpan('5m')).toBeUndefined();
  });
  it("lets the trigger's autoCompleteMessages win over host.json's", () => {
    const options = serviceBusHostOptions({});
    expect(autoCompletes(trigger({}), options)).toBe(true);
    expect(autoCompletes(trigger({ autoCompleteMessages: false }), options)).toBe(false);
  });
});

describe('Service Bus trigger support', () => {
  it('takes batches, refuses sessions and SDK-type binding at load, and incomplete entity names', () => {
    expect(() => checkTriggerSupported(trigger({ cardinality: 'many' }))).not.toThrow();
    expect(() => checkTriggerSupported(trigger({ cardinality: 'several' }))).toThrow(/Function "audit": cardinality "several" is neither "one" nor "many"/);
    expect(() => checkTriggerSupported(trigger({ isSessionsEnabled: true }))).toThrow(/session-enabled/);
    expect(() => checkTriggerSupported(trigger({ sdkBinding: true }))).toThrow(/sdkBinding/);
    expect(() => checkTriggerSupported(trigger({ subscriptionName: undefined }))).toThrow(/needs a subscriptionName/);
    expect(() => checkTriggerSupported(trigger({ cardinality: 'one' }))).not.toThrow();
    expect(() => checkTriggerSupported(trigger({ topicName: undefined, subscriptionName: undefined, queueName: 'q' }))).not.toThrow();
  });
});

describe('Service Bus connections', () => {
  it('finds a connection string, AzureWebJobs-prefixed first, as the extension does', () => {
    expect(resolveConnection('SB', { SB: 'Endpoint=sb://a/' })).toEqual({ setting: 'SB', connectionString: 'Endpoint=sb://a/' });
    expect(resolveConnection('SB', { SB: 'Endpoint=sb://a/', AzureWebJobsSB: 'Endpoint=sb://b/' })).toEqual({ setting: 'AzureWebJobsSB', connectionString: 'Endpoint=sb://b/' });
  });
  it('finds an identity-based connection', () => {
    const env = { SB__fullyQualifiedNamespace: 'ns.servicebus.windows.net', SB__credential: 'managedidentity', SB__clientId: 'cid' };
    expect(resolveConnection('SB', env)).toEqual({ setting: 'SB', fullyQualifiedNamespace: 'ns.servicebus.windows.net', credential: 'managedidentity', clientId: 'cid' });
  });
  it('names a missing setting in the extension\'s words', () => {
    expect(() => resolveConnection('ServiceBusConnection', { SB: 'x', ServiceBusConnection: '' })).toThrow(
      "Service Bus connection 'ServiceBusConnection' does not exist. Make sure that it is a defined App Setting.",
    );
  });
});

describe('what the host sends', () => {
  it('writes dates as Json.NET does', () => {
    const date = new Date('2024-06-28T12:00:00.120Z');
    expect(netDate(date, 'utc')).toBe('2024-06-28T12:00:00.12Z');
    expect(netDate(date, 'unspecified')).toBe('2024-06-28T12:00:00.12');
    expect(netDate(new Date('2024-06-28T12:00:00Z'), 'offset')).toBe('2024-06-28T12:00:00+00:00');
    expect(netDate(new Date(8.64e15), 'offset')).toBe('9999-12-31T23:59:59.9999999+00:00');
  });
  it('adds a JSON body\'s top-level properties to the metadata as Json.NET strings, overwriting same-named keys', () => {
    const body = JSON.stringify({ deliveryCount: 7, ok: true, when: '2024-01-02T03:04:05+01:00', list: [1], none: null, inner: { a: 1 } });
    const request = manualServiceBusRequest('message', body, undefined);
    expect(request.inputData).toEqual([{ name: 'message', data: { string: body } }]);
    expect(request.triggerMetadata).toMatchObject({
      DeliveryCount: { string: '7' },
      ok: { string: 'True' },
      when: { string: '01/02/2024 02:04:05' },
      inner: { json: '{"a":1}' },
      SequenceNumber: { json: '-1' },
    });
    expect(request.triggerMetadata).not.toHaveProperty('deliveryCount');
    expect(request.triggerMetadata).not.toHaveProperty('list');
    expect(request.triggerMetadata).not.toHaveProperty('none');
  });
  it('binds bytes for dataType binary and adds nothing from them', () => {
    const request = manualServiceBusRequest('message', '{"a":1}', 'binary');
    expect(Buffer.from(request.inputData[0]?.data?.bytes ?? []).toString()).toBe('{"a":1}');
    expect(request.triggerMetadata).not.toHaveProperty('a');
  });
});
