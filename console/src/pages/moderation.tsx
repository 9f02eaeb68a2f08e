/** Moderation: the open reports queue (GET /api/admin/reports), resolved with an action. */
import { useState } from 'preact/hooks';
import { call, enc, get, type Page } from '../api';
import { Link } from '../router';
import { LoadState, Outcome, Section, useAction, useLoad, when } from '../ui';

interface Report {
  id: string;
  reporterUsername: string;
  targetId: string;
  targetUsername: string;
  category: string;
  details: string | null;
  createdAt: string;
}

const ACTIONS = ['dismiss', 'warn', 'suspend', 'ban'] as const;

export function ModerationPage() {
  const queue = useLoad(() => get<Page<Report>>('admin/reports?status=open&limit=50'), 'open');
  return (
    <>
      <h1>Moderation</h1>
      <Section title="Open reports" id="queue" actions={<button type="button" onClick={queue.reload}>Refresh</button>}>
        <LoadState loaded={queue}>
          {(page) =>
            page.items.length === 0 ? (
              <p class="muted">The queue is empty.</p>
            ) : (
              <ul class="reports">
                {page.items.map((report) => (
                  <ReportItem report={report} onResolved={queue.reload} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </Section>
    </>
  );
}

function ReportItem({ report, onResolved }: { report: Report; onResolved: () => void }) {
  const action = useAction();
  const [choice, setChoice] = useState<(typeof ACTIONS)[number]>('dismiss');
  const [note, setNote] = useState('');
  const resolve = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(
      `Resolve the report about ${report.targetUsername} with "${choice}"?${choice === 'suspend' || choice === 'ban' ? ' Their sessions end at once.' : ''}`,
      () => call('POST', `admin/reports/${enc(report.id)}/resolve`, { action: choice, note }),
      `Resolved: ${choice}.`,
    );
    if (ok) onResolved();
  };
  const field = `report-${report.id}`;
  return (
    <li class="card report" data-report={report.id}>
      <p>
        <strong>{report.category}</strong> about <Link to={`/players/${enc(report.targetId)}`}>{report.targetUsername}</Link> by {report.reporterUsername},{' '}
        {when(report.createdAt)}
      </p>
      {report.details && <blockquote>{report.details}</blockquote>}
      <form class="row" onSubmit={resolve} aria-label={`Resolve the report about ${report.targetUsername}`}>
        <label>
          Action
          <select id={`${field}-action`} value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value as (typeof ACTIONS)[number])}>
            {ACTIONS.map((a) => (
              <option value={a}>{a}</option>
            ))}
          </select>
        </label>
        <label class="grow">
          Note
          <input id={`${field}-note`} required maxLength={1000} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Resolve
        </button>
      </form>
      <Outcome action={action} />
    </li>
  );
}
