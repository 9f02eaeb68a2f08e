// ISO-8601 durations as ARM writes TimeSpan properties (lockDuration, defaultMessageTimeToLive, ...).
// Years and months are refused because their length is ambiguous and ARM never emits them.
const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const MS_PER = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1_000 };

/** Milliseconds in an ISO-8601 duration such as `PT1M`, `P14D` or `P10675199DT2H48M5.4775807S`; undefined when malformed. */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase().endsWith('T') || text.trim().length <= 1) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const parts: Array<[string | undefined, number]> = [
    [weeks, MS_PER.week],
    [days, MS_PER.day],
    [hours, MS_PER.hour],
    [minutes, MS_PER.minute],
    [seconds, MS_PER.second],
  ];
  if (parts.every(([value]) => value === undefined)) return undefined;
  return Math.round(parts.reduce((total, [value, unit]) => total + (value === undefined ? 0 : Number(value) * unit), 0));
}

/** Human-friendly rendering for log lines, e.g. `60s`. */
export function describeDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms >= 10_000 * MS_PER.day) return 'forever';
  if (ms % MS_PER.day === 0) return `${ms / MS_PER.day}d`;
  if (ms % MS_PER.hour === 0) return `${ms / MS_PER.hour}h`;
  if (ms % MS_PER.minute === 0) return `${ms / MS_PER.minute}m`;
  return `${ms / MS_PER.second}s`;
}
