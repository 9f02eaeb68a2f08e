/** Runs dependency checks side by side, each timed; a failure's reason goes to the log, never to the caller. */
import type { InvocationContext } from '@azure/functions';
import type { HealthCheck } from '../core/kernel/health.js';

export type CheckResult = { status: 'ok'; latencyMs: number } | { status: 'failed'; latencyMs: number; error: string };

export interface HealthReport {
  healthy: boolean;
  checks: Record<string, CheckResult>;
  /** The names of the checks that failed, in check order. */
  failed: string[];
}

export async function runHealthChecks(checks: readonly HealthCheck[], context: Pick<InvocationContext, 'warn'>): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
      const started = performance.now();
      try {
        await check();
        return [name, { status: 'ok', latencyMs: Math.round(performance.now() - started) }];
      } catch (error) {
        // A driver's message can name hosts and addresses: it is for the operator's log only.
        context.warn(`health: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        return [name, { status: 'failed', latencyMs: Math.round(performance.now() - started), error: 'did not answer' }];
      }
    }),
  );
  const failed = results.filter(([, result]) => result.status !== 'ok').map(([name]) => name);
  return { healthy: failed.length === 0, checks: Object.fromEntries(results), failed };
}
