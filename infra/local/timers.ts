/** Runs timer-triggered functions on their NCRONTAB schedules; a run still going skips its next tick. */
import type { FunctionsRuntime, LoadedFunction, Logger } from './functions-runtime.js';
import { parseSchedule } from '../../functions/platform/schedule.js';
import type { TriggerInputs } from './trigger-inputs.js';

export interface TimerScheduler {
  stop(): Promise<void>;
}

export function startTimers(runtime: FunctionsRuntime, inputs: TriggerInputs, log: Logger): TimerScheduler {
  const handles = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  function schedule(fn: LoadedFunction): void {
    const plan = parseSchedule(String(fn.trigger['schedule']));
    let busy = false;
    let last: Date | null = null;

    const fire = (isPastDue: boolean) => {
      if (busy || stopped) return;
      busy = true;
      const next = new Date(plan.next(Date.now()));
      const run = runtime
        .invoke(fn, inputs.timer(fn, { isPastDue, last, next }))
        .then(() => undefined)
        .catch((error: unknown) => log(error instanceof Error ? error.message : String(error)))
        .finally(() => {
          busy = false;
          last = new Date();
          running.delete(run);
        });
      running.add(run);
    };

    // Each firing is planned from the previous target, not from "now", so a timer that wakes a
    // millisecond early cannot fire twice for the same slot.
    const arm = (after: number) => {
      if (stopped) return;
      const target = plan.next(after);
      // setTimeout caps near 24.8 days; wake up on the way for schedules further out.
      const wait = Math.min(Math.max(0, target - Date.now()), 2 ** 31 - 1);
      handles.set(fn.name, setTimeout(() => {
        if (Date.now() + 5 >= target) {
          fire(false);
          arm(Math.max(target, Date.now()));
        } else {
          arm(after);
        }
      }, wait));
    };

    if (fn.trigger['runOnStartup'] === true) fire(false);
    arm(Date.now());
  }

  for (const fn of runtime.functions) if (fn.trigger.type === 'timerTrigger') schedule(fn);

  return {
    async stop() {
      stopped = true;
      for (const handle of handles.values()) clearTimeout(handle);
      await Promise.allSettled([...running]);
    },
  };
}
