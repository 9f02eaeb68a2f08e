/**
 * The operational counters of GET /api/health/metrics as OpenTelemetry instruments: cumulative
 * counters for what only grows, gauges for what goes up and down. All are read in one batch per
 * collection, so an export costs one snapshot (a few Redis reads and a Cosmos count), not one each.
 */
import type { Meter } from '@opentelemetry/api';
import type { MetricsView } from '../../core/metrics/metrics.js';

export function observeMetrics(meter: Meter, snapshot: () => Promise<MetricsView>): void {
  const counter = (name: string, description: string) => meter.createObservableCounter(`player_accounts.${name}`, { description });
  const gauge = (name: string, description: string, unit?: string) =>
    meter.createObservableGauge(`player_accounts.${name}`, unit === undefined ? { description } : { description, unit });
  const logins = counter('logins', 'Logins, by outcome (ok, failed, locked).');
  const refreshed = counter('tokens.refreshed', 'Refresh tokens rotated.');
  const buffered = counter('activities.buffered', 'Activities taken into the Redis buffer.');
  const synced = counter('activities.synced', 'Activities the sync wrote to Cosmos DB.');
  const backlog = gauge('activities.backlog', 'Activities in the buffer, not yet synced.');
  const lag = gauge('activities.sync_lag', 'How long the oldest unsynced activity has waited.', 's');
  const outbox = gauge('events.outbox', 'Events recorded and not yet published.');
  const online = gauge('presence.online', 'Players online now.');
  meter.addBatchObservableCallback(
    async (result) => {
      const m = await snapshot();
      result.observe(logins, m.logins.ok, { outcome: 'ok' });
      result.observe(logins, m.logins.failed, { outcome: 'failed' });
      result.observe(logins, m.logins.locked, { outcome: 'locked' });
      result.observe(refreshed, m.tokensRefreshed);
      result.observe(buffered, m.activities.buffered);
      result.observe(synced, m.activities.synced);
      result.observe(backlog, m.activities.backlog);
      result.observe(lag, m.activities.syncLagSeconds);
      result.observe(outbox, m.eventsInOutbox);
      result.observe(online, m.presenceOnline);
    },
    [logins, refreshed, buffered, synced, backlog, lag, outbox, online],
  );
}
