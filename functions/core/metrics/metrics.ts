/**
 * Operational counters a person reads at a glance (GET /api/health/metrics): cumulative counts the
 * use cases add to, and gauges read when asked (buffer backlog, sync lag, outbox, online players).
 */
import { requireStaff, type Caller } from '../kernel/caller.js';

export const COUNTERS = ['loginsOk', 'loginsFailed', 'loginsLocked', 'tokensRefreshed', 'activitiesBuffered', 'activitiesSynced'] as const;
export type CounterName = (typeof COUNTERS)[number];

/** Best effort: adding never fails or delays the use case that counts (a lost increment is not an outage). */
export interface Counters {
  add(name: CounterName, by?: number): void;
}

export interface MetricsSource {
  counters(): Promise<Record<CounterName, number>>;
  /** Activities in the Redis buffer not yet synced, and when the oldest arrived (ms), if any. */
  activityBacklog(): Promise<{ entries: number; oldestAtMs: number | null }>;
  /** Events recorded in the outbox and not yet published. */
  outboxSize(): Promise<number>;
  onlineCount(): Promise<number>;
}

export interface MetricsView {
  logins: { ok: number; failed: number; locked: number };
  tokensRefreshed: number;
  activities: { buffered: number; synced: number; backlog: number; syncLagSeconds: number };
  eventsInOutbox: number;
  presenceOnline: number;
  timestamp: string;
}

export interface MetricsDeps {
  source: MetricsSource;
  clock: { now(): number };
}

/** GET /api/health/metrics: for admins and game servers. */
export async function readMetrics(deps: MetricsDeps, caller: Caller): Promise<MetricsView> {
  requireStaff(caller, 'Metrics');
  return snapshotMetrics(deps);
}

/** The counters and gauges now; also what the OpenTelemetry export reads (no caller: the process itself). */
export async function snapshotMetrics(deps: MetricsDeps): Promise<MetricsView> {
  const [counters, backlog, outbox, online] = await Promise.all([
    deps.source.counters(),
    deps.source.activityBacklog(),
    deps.source.outboxSize(),
    deps.source.onlineCount(),
  ]);
  const now = deps.clock.now();
  return {
    logins: { ok: counters.loginsOk, failed: counters.loginsFailed, locked: counters.loginsLocked },
    tokensRefreshed: counters.tokensRefreshed,
    activities: {
      buffered: counters.activitiesBuffered,
      synced: counters.activitiesSynced,
      backlog: backlog.entries,
      // How long the oldest unsynced activity has waited: 0 when the buffer is empty.
      syncLagSeconds: backlog.oldestAtMs === null ? 0 : Math.max(0, Math.round((now - backlog.oldestAtMs) / 1000)),
    },
    eventsInOutbox: outbox,
    presenceOnline: online,
    timestamp: new Date(now).toISOString(),
  };
}

/** For deps that count nothing (tools, benchmarks). */
export const NO_COUNTERS: Counters = { add() {} };
