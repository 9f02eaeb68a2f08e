/** The operational counters as OpenTelemetry metrics, collected by the SDK's own reader (no exporter, no network). */
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { observeMetrics } from '../../functions/adapters/telemetry/otel-metrics.js';
import type { MetricsView } from '../../functions/core/metrics/metrics.js';
import { startTelemetry } from '../../functions/platform/features/telemetry.js';

class CollectOnDemand extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const view: MetricsView = {
  logins: { ok: 7, failed: 3, locked: 1 },
  tokensRefreshed: 12,
  activities: { buffered: 500, synced: 480, backlog: 20, syncLagSeconds: 4 },
  eventsInOutbox: 2,
  presenceOnline: 9,
  timestamp: '2026-12-01T00:00:00.000Z',
};

function points(metrics: MetricData[], name: string): { value: unknown; attributes: Record<string, unknown> }[] {
  const metric = metrics.find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({ value: p.value, attributes: p.attributes as Record<string, unknown> }));
}

describe('the operational counters as OpenTelemetry metrics', () => {
  it('exports every counter and gauge from one snapshot per collection', async () => {
    const reader = new CollectOnDemand();
    const provider = new MeterProvider({ readers: [reader] });
    let snapshots = 0;
    observeMetrics(provider.getMeter('player-accounts'), async () => (snapshots++, view));
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    expect(snapshots).toBe(1);
    expect(points(metrics, 'player_accounts.logins')).toEqual(
      expect.arrayContaining([
        { value: 7, attributes: { outcome: 'ok' } },
        { value: 3, attributes: { outcome: 'failed' } },
        { value: 1, attributes: { outcome: 'locked' } },
      ]),
    );
    expect(points(metrics, 'player_accounts.tokens.refreshed')).toEqual([{ value: 12, attributes: {} }]);
    expect(points(metrics, 'player_accounts.activities.backlog')).toEqual([{ value: 20, attributes: {} }]);
    expect(points(metrics, 'player_accounts.activities.sync_lag')).toEqual([{ value: 4, attributes: {} }]);
    expect(points(metrics, 'player_accounts.events.outbox')).toEqual([{ value: 2, attributes: {} }]);
    expect(points(metrics, 'player_accounts.presence.online')).toEqual([{ value: 9, attributes: {} }]);
    await provider.shutdown();
  });

  it('hands the counters to the exporter only when Application Insights is configured', async () => {
    const started: { metrics?: unknown }[] = [];
    const load = async () => ({ startAzureMonitor: async (s: { metrics?: unknown }) => void started.push(s) });
    const metrics = async () => view;
    const off = { telemetry: { requestLog: 'json' as const, applicationInsightsConnectionString: undefined }, azureClientId: undefined };
    expect(await startTelemetry(off, load, metrics)).toBe(false);
    const on = { telemetry: { requestLog: 'json' as const, applicationInsightsConnectionString: 'InstrumentationKey=x' }, azureClientId: undefined };
    expect(await startTelemetry(on, load, metrics)).toBe(true);
    expect(started).toHaveLength(1);
    expect(started[0]?.metrics).toBe(metrics);
  });
});
