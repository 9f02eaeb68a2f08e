/** Telemetry: the structured line per invocation, and OpenTelemetry when Application Insights is configured. */
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
    telemetry: { requestLog: s.REQUEST_LOG, applicationInsights: s.APPLICATIONINSIGHTS_CONNECTION_STRING !== undefined },
  }),
  // A connection string holds the ingestion key: never echoed in a settings error.
  secret: ['APPLICATIONINSIGHTS_CONNECTION_STRING'],
});

export type TelemetryConfig = ReturnType<typeof telemetrySettings.read>;
