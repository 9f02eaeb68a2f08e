/** Every stop in the local stack has a deadline: a part that hangs must not keep a port or a process. */

/** Waits for `step` at most `ms`; true if it settled in time (a rejection counts as settled). */
export async function withDeadline(step: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolveLate) => (timer = setTimeout(() => resolveLate(false), Math.max(0, ms))));
  const settled = step.then(() => true as const, () => true as const);
  const inTime = await Promise.race([settled, late]);
  clearTimeout(timer);
  return inTime;
}
