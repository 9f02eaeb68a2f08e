/**
 * OpenTelemetry to Application Insights (@azure/monitor-opentelemetry), with the Functions
 * instrumentation so each invocation's span is the parent of the HTTP, Cosmos, Redis and Service
 * Bus spans under it. Loaded with import() and only when a connection string is configured: the
 * SDK is large, and an app without Application Insights must not pay for it at cold start.
 */
import * as functions from '@azure/functions';
import { metrics } from '@opentelemetry/api';
import type { MetricsView } from '../../core/metrics/metrics.js';
import { azureCredential } from '../identity.js';
import { observeMetrics } from './otel-metrics.js';

export interface AzureMonitorSettings {
  connectionString: string;
  /** The managed identity telemetry is sent as (bicep turns local auth off on the component). */
  azureClientId: string | undefined;
  /** The operational counters, exported as OpenTelemetry metrics when given. */
  metrics?: () => Promise<MetricsView>;
}

export async function startAzureMonitor(settings: AzureMonitorSettings): Promise<void> {
  const [{ useAzureMonitor }, { AzureFunctionsInstrumentationESM }, { registerInstrumentations }] = await Promise.all([
    import('@azure/monitor-opentelemetry'),
    import('@azure/functions-opentelemetry-instrumentation'),
    import('@opentelemetry/instrumentation'),
  ]);
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: settings.connectionString, credential: await azureCredential(settings.azureClientId) },
  });
  const instrumentation = new AzureFunctionsInstrumentationESM();
  registerInstrumentations({ instrumentations: [instrumentation] });
  // An ESM app hands the instrumentation the module itself: there is no require() to hook.
  instrumentation.registerAzFunc(functions);
  if (settings.metrics) observeMetrics(metrics.getMeter('player-accounts'), settings.metrics);
}
