/**
 * Reports: a player reports another (throttled, one open report per reporter and target); admins
 * work the queue and resolve each one; suspend and ban go through setAccountStatus, so the
 * player's sessions and tokens end at once. Every step is an event, so it is in the audit trail.
 */
import { setAccountStatus } from '../accounts/admin.js';
import type { AdminUserView } from '../accounts/users.js';
import { requireAdmin, requirePlayer, type Caller } from '../kernel/caller.js';
import { DomainError, isDomainError, validationError } from '../kernel/errors.js';
import { userEvent } from '../events/events.js';
import { enforce } from '../kernel/rate-limits.js';
import type { Page, PageRequest } from '../kernel/paging.js';
import type { SocialDeps } from './deps.js';
import { decodeKey, encodeKey } from './cursors.js';
import type { Report } from './model.js';

export type { Report } from './model.js';
import type { ReportInput, ResolveInput } from './schemas.js';
import { callerRef, findPlayer } from './views.js';



/** What the reporter is told: their report was filed, not what happens to it. */
export interface FiledReport {
  id: string;
  targetUserId: string;
  category: Report['category'];
  status: Report['status'];
  createdAt: string;
}

export async function fileReport(deps: SocialDeps, caller: Caller, targetId: string, input: ReportInput): Promise<FiledReport> {
  const me = requirePlayer(caller);
  if (targetId === me) throw validationError([{ field: 'userId', message: 'cannot be yourself' }], 'You cannot report yourself.');
  const target = await findPlayer(deps, targetId);
  await enforce(deps.accounts.rateLimiter, deps.limits.reportsPerReporter, me);
  const reporter = await callerRef(deps, caller);
  const createdAt = new Date(deps.clock.now()).toISOString();
  const id = deps.newId();
  const report: Report = {
    id,
    reporterId: me,
    reporterUsername: reporter.username,
    targetId,
    targetUsername: target.username,
    category: input.category,
    details: input.details ?? null,
    status: 'open',
    createdAt,
    sortKey: `${createdAt}|${id}`,
    resolution: null,
  };
  try {
    await deps.reports.create(report);
  } catch (error) {
    // A duplicate files nothing, so it does not count against the reporter.
    if (isDomainError(error, 'CONFLICT')) await deps.accounts.rateLimiter.release(deps.limits.reportsPerReporter, me);
    throw error;
  }
  await deps.events.emit([userEvent(deps.newId(), 'userReported', { userId: me, targetUserId: targetId, reportId: id, category: input.category, timestamp: createdAt })]);
  return { id, targetUserId: targetId, category: report.category, status: report.status, createdAt };
}

export async function listReports(deps: SocialDeps, caller: Caller, status: Report['status'], page: PageRequest): Promise<Page<Report>> {
  requireAdmin(caller);
  const found = await deps.reports.list(status, page.limit + 1, decodeKey(page.cursor));
  const shown = found.slice(0, page.limit);
  const last = shown.at(-1);
  return { items: shown, cursor: found.length > page.limit && last ? encodeKey(last.sortKey) : null };
}

export async function resolveReport(
  deps: SocialDeps,
  caller: Caller,
  reportId: string,
  input: ResolveInput,
): Promise<{ report: Report; account: AdminUserView | null }> {
  requireAdmin(caller);
  if (input.until !== undefined && input.action !== 'suspend') throw validationError([{ field: 'until', message: 'applies only to action "suspend"' }]);
  const report = await deps.reports.get(reportId);
  if (!report) throw new DomainError('NOT_FOUND', 'No such report.');
  if (report.status !== 'open') throw new DomainError('CONFLICT', 'This report is already resolved.');
  const resolution = { action: input.action, note: input.note, adminId: caller.subject, at: new Date(deps.clock.now()).toISOString() };
  // The report is closed first: of two admins resolving it at once, one wins and only that one acts.
  const resolved = await deps.reports.resolve(report, resolution);
  let account: AdminUserView | null = null;
  if (input.action === 'suspend' || input.action === 'ban') {
    account = await setAccountStatus(deps.accounts, caller, report.targetId, {
      status: input.action === 'ban' ? 'banned' : 'suspended',
      reason: input.note,
      ...(input.until !== undefined ? { until: input.until } : {}),
    });
  }
  await deps.events.emit([
    userEvent(deps.newId(), 'userReportResolved', { userId: caller.subject, targetUserId: report.targetId, reportId, action: input.action, timestamp: resolution.at }),
  ]);
  return { report: resolved, account };
}
