/** A player's presence, sessions, stats, audit trail and activity: the routes every deployment has. */
import { call, enc, get, type Page } from '../api';
import type { Features } from '../features';
import { AutoTable, Fields, LoadState, Outcome, Section, useAction, useLoad, when } from '../ui';

interface Session {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  ip: string | null;
  clientLabel: string | null;
}

export function PresenceSection({ id }: { id: string }) {
  const presence = useLoad(() => get<Record<string, unknown>>(`user-status?userId=${enc(id)}`), id);
  return (
    <Section title="Presence" id="presence">
      <LoadState loaded={presence}>{(p) => <Fields value={{ status: p['status'], lastSeenAt: p['lastSeenAt'], activity: p['activity'] }} />}</LoadState>
    </Section>
  );
}

export function SessionsSection({ id, features, version }: { id: string; features: Features; version: string }) {
  const sessions = useLoad(() => get<Page<Session>>(`admin/users/${enc(id)}/sessions?limit=100`), `${id}|${version}`);
  const action = useAction();
  const endOne = async (session: Session) => {
    const label = session.clientLabel ?? session.userAgent ?? session.id;
    if (await action.run(`End the session "${label}"? Its tokens stop working at once.`, () => call('DELETE', `admin/users/${enc(id)}/sessions/${enc(session.id)}`), 'Session ended.'))
      sessions.reload();
  };
  const endAll = async () => {
    if (await action.run('End every session of this player? They are signed out everywhere.', () => call('DELETE', `admin/users/${enc(id)}/sessions`), 'Every session ended.'))
      sessions.reload();
  };
  const canEndOne = features.has('DELETE /api/admin/users/{id}/sessions/{sessionId}');
  const canEndAll = features.has('DELETE /api/admin/users/{id}/sessions');
  return (
    <Section
      title="Sessions"
      id="sessions"
      actions={
        canEndAll && (
          <button type="button" class="danger" onClick={() => void endAll()} disabled={action.busy || !sessions.data?.items.length}>
            End all sessions
          </button>
        )
      }
    >
      <Outcome action={action} />
      <LoadState loaded={sessions}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No live session.</p>
          ) : (
            <table>
              <caption class="sr-only">Live sessions</caption>
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Device</th>
                  <th scope="col">IP</th>
                  <th scope="col">Started</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  {canEndOne && <th scope="col">Action</th>}
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr data-session={s.id}>
                    <td>{s.clientLabel ?? '—'}</td>
                    <td class="wrap">{s.userAgent ?? '—'}</td>
                    <td>{s.ip ?? '—'}</td>
                    <td>{when(s.createdAt)}</td>
                    <td>{when(s.lastUsedAt)}</td>
                    <td>{when(s.expiresAt)}</td>
                    {canEndOne && (
                      <td>
                        <button type="button" onClick={() => void endOne(s)} disabled={action.busy} aria-label={`End session ${s.clientLabel ?? s.id}`}>
                          End
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadState>
    </Section>
  );
}

export function StatsSection({ id }: { id: string }) {
  const stats = useLoad(() => get<Record<string, unknown>>(`users/${enc(id)}/stats`), id);
  return (
    <Section title="Stats" id="stats">
      <LoadState loaded={stats}>
        {(s) => {
          const { userId: _user, watermark: _mark, counts, ...rest } = s;
          return (
            <>
              <Fields value={rest} />
              {counts && typeof counts === 'object' && (
                <AutoTable caption="Activity counts" items={Object.entries(counts as Record<string, number>).map(([activity, count]) => ({ activity, count }))} />
              )}
            </>
          );
        }}
      </LoadState>
    </Section>
  );
}

interface AuditEntry {
  id: string;
  type: string;
  data: Record<string, unknown>;
  timestamp: string;
}

export function EventsSection({ id, version }: { id: string; version: string }) {
  const events = useLoad(() => get<Page<AuditEntry>>(`users/${enc(id)}/events?limit=25`), `${id}|${version}`);
  return (
    <Section title="Recent events (audit trail)" id="events" actions={<button type="button" onClick={events.reload}>Refresh</button>}>
      <LoadState loaded={events}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="muted">No event yet.</p>
          ) : (
            <table>
              <caption class="sr-only">Recent events</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((e) => (
                  <tr>
                    <td>{when(e.timestamp)}</td>
                    <td>{e.type}</td>
                    <td class="wrap mono">{JSON.stringify(e.data)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadState>
    </Section>
  );
}

export function ActivitySection({ id }: { id: string }) {
  const activity = useLoad(() => get<Page<Record<string, unknown>>>(`users/${enc(id)}/activity?limit=25`), id);
  return (
    <Section title="Activity history" id="activity">
      <LoadState loaded={activity}>{(page) => <AutoTable caption="Activity" items={page.items} omit={['userId', 'sortKey', 'id']} />}</LoadState>
    </Section>
  );
}
