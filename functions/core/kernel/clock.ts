/** Time as the use cases see it: a port, so tests can move it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let minuteShown = Number.NaN;
let minutePrefix = '';

/**
 * The same text as `new Date(ms).toISOString()` without a Date per call: listings format many
 * times within the same minute, so only the "YYYY-MM-DDTHH:MM:" prefix is computed once a minute.
 * For ms from 1970 to 9999 (whole milliseconds), as stored scores are.
 */
export function isoFromEpochMs(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== minuteShown) {
    minutePrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    minuteShown = minute;
  }
  const withinMinute = ms - minute * 60_000;
  const seconds = Math.floor(withinMinute / 1000);
  const millis = withinMinute - seconds * 1000;
  return `${minutePrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
