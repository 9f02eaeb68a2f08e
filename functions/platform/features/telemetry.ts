/** Telemetry: the structured line per invocation, and OpenTelemetry when Application Insights is configured. */
import type { AzureMonitorSettings } from '../../adapters/telemetry/azure-monitor.js';
import type { MetricsView } from '../../core/metrics/metrics.js';
import { z } from 'zod';
import { featureSettings } from '../settings-kit.js';

export const telemetrySettings = featureSettings({
  shape: {
    /** "json": one JSON line per request and per timer or subscriber run (Azure); "off": none (the local host's default, which prints its own short line). */
    REQUEST_LOG: z.enum(['json', 'off']).default('json'),
    /** Set by the platform from the Application Insights resource; when set, OpenTelemetry exports there. */
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional().describe('azure-required'),
  },
  read: (s) => ({
    telemetry: { requestLog: s.REQUEST_LOG, applicationInsightsConnectionString: s.APPLICATIONINSIGHTS_CONNECTION_STRING },
  }),
  // A connection string holds the ingestion key: never echoed in a settings error.
  secret: ['APPLICATIONINSIGHTS_CONNECTION_STRING'],
});

export type TelemetryConfig = ReturnType<typeof telemetrySettings.read>;

/**
 * Starts OpenTelemetry when Application Insights is configured; otherwise the exporter is never
 * imported. `load` is the adapter's module, passed in so a test can see whether it was loaded.
 */
export async function startTelemetry(
  config: TelemetryConfig & { azureClientId: string | undefined },
  load: () => Promise<{ startAzureMonitor(settings: AzureMonitorSettings): Promise<void> }> = () => import('../../adapters/telemetry/azure-monitor.js'),
  /** The operational counters (GET /api/health/metrics), exported as OpenTelemetry metrics too. */
  metrics?: () => Promise<MetricsView>,
): Promise<boolean> {
  const connectionString = config.telemetry.applicationInsightsConnectionString;
  if (connectionString === undefined) return false;
  try {
    await (await load()).startAzureMonitor({ connectionString, azureClientId: config.azureClientId, ...(metrics ? { metrics } : {}) });
    return true;
  } catch (error) {
    // Telemetry must not keep the app from serving: say so once and run without it.
    console.warn(`telemetry: OpenTelemetry did not start (${error instanceof Error ? error.message : String(error)})`);
    return false;
  }
}
