/**
 * Operational counters in one Redis hash (HINCRBY: atomic across instances), and the gauges read
 * from the keys the activity buffer and presence already keep.
 */
import { COUNTERS, type CounterName, type Counters } from '../../core/metrics/metrics.js';
import { activityStreamKey } from './activity-buffer.js';
import type { RedisClient } from './client.js';
import { presenceOnlineKey } from './presence.js';

export class RedisCounters implements Counters {
  private readonly key: string;
  private lastLogged = 0;

  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly prefix: string,
  ) {
    this.key = `${prefix}metrics:counters`;
  }

  add(name: CounterName, by = 1): void {
    if (by <= 0) return;
    // Not awaited: a counter must never slow or fail the request it counts.
    void this.redis()
      .then((client) => client.hIncrBy(this.key, name, by))
      .catch((error: unknown) => {
        if (Date.now() - this.lastLogged < 60_000) return;
        this.lastLogged = Date.now();
        console.warn(`metrics: a counter was not recorded (${error instanceof Error ? error.message : String(error)})`);
      });
  }

  async counters(): Promise<Record<CounterName, number>> {
    const stored = await (await this.redis()).hGetAll(this.key);
    return Object.fromEntries(COUNTERS.map((name) => [name, Number(stored[name] ?? 0)])) as Record<CounterName, number>;
  }

  async activityBacklog(): Promise<{ entries: number; oldestAtMs: number | null }> {
    const client = await this.redis();
    const stream = activityStreamKey(this.prefix);
    const [entries, oldest] = await Promise.all([client.xLen(stream), client.xRange(stream, '-', '+', { COUNT: 1 })]);
    // A stream entry id starts with the millisecond it was added.
    const first = oldest?.[0];
    return { entries, oldestAtMs: first ? Number(first.id.split('-')[0]) : null };
  }

  async onlineCount(): Promise<number> {
    return (await this.redis()).zCard(presenceOnlineKey(this.prefix));
  }
}
