/** The publisher carries the active trace to the subscriber in Diagnostic-Id (W3C traceparent). */
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessage } from '../../functions/adapters/servicebus/publisher.js';
import { userEvent } from '../../functions/core/events/events.js';

const event = userEvent('e-1', 'userLogin', { userId: 'u-1', timestamp: '2026-12-01T00:00:00.000Z', method: 'password' });

// What the OpenTelemetry SDK registers when it starts: a context manager and the W3C propagator.
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  propagation.disable();
  context.disable();
});

describe('trace context on published events', () => {
  it('puts the active trace in Diagnostic-Id as a W3C traceparent', () => {
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
    const message = context.with(trace.setSpan(context.active(), span), () => toMessage(event));
    expect(message.applicationProperties).toEqual({ eventType: 'userLogin', 'Diagnostic-Id': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
  });

  it('adds nothing without an active trace (OpenTelemetry not running)', () => {
    expect(toMessage(event).applicationProperties).toEqual({ eventType: 'userLogin' });
  });
});
