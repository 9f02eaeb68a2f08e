/** One player: profile, account status, roles and account deletion; the other sections below. */
import { useState } from 'preact/hooks';
import { call, enc, get, type User } from '../api';
import type { Features } from '../features';
import { navigate } from '../router';
import { Fields, LoadState, Outcome, Section, useAction, useLoad, when } from '../ui';
import { ActivitySection, EventsSection, PresenceSection, SessionsSection, StatsSection } from './player-history';
import { GuardedSections } from './player-guarded';

export function PlayerPage({ id, features }: { id: string; features: Features }) {
  const user = useLoad(() => get<User>(`users/${enc(id)}`), id);
  return (
    <LoadState loaded={user}>
      {(u) => (
        <>
          <h1>
            {u.username} <span class={`badge ${u.status}`}>{u.status}</span>
          </h1>
          <div class="grid">
            <Section title="Profile" id="profile">
              <Fields
                value={{
                  id: u.id,
                  username: u.username,
                  email: u.email,
                  emailVerified: u['emailVerified'],
                  displayName: u.displayName,
                  createdAt: u.createdAt,
                  updatedAt: u['updatedAt'],
                }}
              />
            </Section>
            <StatusSection user={u} onChange={user.reload} />
            <RolesSection user={u} onChange={user.reload} />
            {features.has('GET /api/user-status') && <PresenceSection id={id} />}
          </div>
          {features.has('GET /api/admin/users/{id}/sessions') && <SessionsSection id={id} features={features} version={version(u)} />}
          {features.has('GET /api/users/{id}/stats') && <StatsSection id={id} />}
          {features.has('GET /api/users/{id}/events') && <EventsSection id={id} version={version(u)} />}
          {features.has('GET /api/users/{id}/activity') && <ActivitySection id={id} />}
          <GuardedSections id={id} features={features} />
          {features.has('DELETE /api/users/{id}') && <DeleteSection user={u} />}
        </>
      )}
    </LoadState>
  );
}

/** Changes whenever the account does, so sections a status change affects (sessions, events) reload. */
const version = (u: User) => `${u.status}|${String(u['updatedAt'])}|${u.roles.join()}`;

/** From a datetime-local value (the admin's local time) to ISO 8601 with an offset. */
const isoFromLocal = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

function StatusSection({ user, onChange }: { user: User; onChange: () => void }) {
  const action = useAction();
  const [status, setStatus] = useState(user.status === 'active' ? 'suspended' : 'active');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const body = status === 'active' ? { status } : { status, reason, ...(status === 'suspended' && until ? { until: isoFromLocal(until) } : {}) };
    const verb = status === 'active' ? 'Reinstate' : status === 'banned' ? 'Ban' : 'Suspend';
    const ok = await action.run(
      `${verb} ${user.username}?${status === 'active' ? '' : ' Every session they have ends at once.'}`,
      () => call('PUT', `admin/users/${enc(user.id)}/account-status`, body),
      `${user.username} is now ${status}.`,
    );
    if (ok) {
      setReason('');
      setUntil('');
      onChange();
    }
  };
  return (
    <Section title="Account status" id="status">
      <p>
        <span class={`badge ${user.status}`}>{user.status}</span>
        {user.statusReason ? ` — ${user.statusReason}` : ''}
        {user.statusUntil ? ` (until ${when(user.statusUntil)})` : ''}
      </p>
      <form class="stack" onSubmit={submit}>
        <label>
          New status
          <select name="status" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}>
            <option value="active">Active (reinstate)</option>
            <option value="suspended">Suspended</option>
            <option value="banned">Banned</option>
          </select>
        </label>
        {status !== 'active' && (
          <>
            <label>
              Reason
              <input name="reason" required maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
            </label>
            {status === 'suspended' && (
              <label>
                Until (optional; empty: until reinstated)
                <input name="until" type="datetime-local" value={until} onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)} />
              </label>
            )}
          </>
        )}
        <button type="submit" disabled={action.busy}>
          Apply status
        </button>
      </form>
      <Outcome action={action} />
    </Section>
  );
}

function RolesSection({ user, onChange }: { user: User; onChange: () => void }) {
  const action = useAction();
  const isAdmin = user.roles.includes('admin');
  const toggle = async () => {
    const ok = await action.run(
      isAdmin ? `Remove the admin role from ${user.username}? Their tokens stop working at once.` : `Make ${user.username} an admin?`,
      () => call('PUT', `admin/users/${enc(user.id)}/roles`, { admin: !isAdmin }),
      isAdmin ? `${user.username} is no longer an admin.` : `${user.username} is now an admin.`,
    );
    if (ok) onChange();
  };
  return (
    <Section title="Roles" id="roles">
      <p>{user.roles.join(', ')}</p>
      <button type="button" onClick={() => void toggle()} disabled={action.busy}>
        {isAdmin ? 'Remove admin role' : 'Make admin'}
      </button>
      <Outcome action={action} />
    </Section>
  );
}

function DeleteSection({ user }: { user: User }) {
  const action = useAction();
  const remove = async () => {
    const ok = await action.run(
      `Delete ${user.username}'s account for good? Their sessions, username and email claims go with it.`,
      () => call('DELETE', `users/${enc(user.id)}`),
      'Deleted.',
    );
    if (ok) navigate('/');
  };
  return (
    <Section title="Delete account" id="delete">
      <button type="button" class="danger" onClick={() => void remove()} disabled={action.busy}>
        Delete account
      </button>
      <Outcome action={action} />
    </Section>
  );
}
