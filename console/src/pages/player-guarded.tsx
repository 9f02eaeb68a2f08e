/**
 * A player's sections for APIs a deployment may not have yet: each shows only when the OpenAPI
 * document lists its routes. Shapes may still grow, so lists render whatever fields they carry.
 */
import { useState } from 'preact/hooks';
import { enc, get, type Page } from '../api';
import type { Features } from '../features';
import { AutoTable, Fields, LoadState, Section, messageOf, useLoad } from '../ui';

export function GuardedSections({ id, features }: { id: string; features: Features }) {
  return (
    <>
      {features.has('GET /api/users/{id}/wallet') && <WalletSection id={id} ledger={features.has('GET /api/users/{id}/wallet/transactions')} />}
      {features.has('GET /api/users/{id}/matches') && <ListSection title="Match history" sectionId="matches" path={`users/${enc(id)}/matches?limit=25`} />}
      {features.has('GET /api/leaderboards/{id}/users/{userId}') && <RankSection id={id} />}
      {features.has('GET /api/users/{id}/followers') && <ListSection title="Followers" sectionId="followers" path={`users/${enc(id)}/followers?limit=50`} />}
      {features.has('GET /api/users/{id}/following') && <ListSection title="Following" sectionId="following" path={`users/${enc(id)}/following?limit=50`} />}
      {features.has('GET /api/users/{id}/blocks') && <ListSection title="Blocks" sectionId="blocks" path={`users/${enc(id)}/blocks?limit=50`} />}
      {features.has('GET /api/admin/reports') && <ReportsAboutSection id={id} />}
    </>
  );
}

function ListSection({ title, sectionId, path }: { title: string; sectionId: string; path: string }) {
  const list = useLoad(() => get<Page<Record<string, unknown>>>(path), path);
  return (
    <Section title={title} id={sectionId}>
      <LoadState loaded={list}>{(page) => <AutoTable caption={title} items={page.items} omit={['sortKey']} />}</LoadState>
    </Section>
  );
}

function WalletSection({ id, ledger }: { id: string; ledger: boolean }) {
  const wallet = useLoad(() => get<{ balances: Record<string, number> }>(`users/${enc(id)}/wallet`), id);
  return (
    <Section title="Wallet" id="wallet">
      <LoadState loaded={wallet}>{(w) => <Fields value={w.balances} />}</LoadState>
      {ledger && <ListSection title="Ledger" sectionId="ledger" path={`users/${enc(id)}/wallet/transactions?limit=25`} />}
    </Section>
  );
}

/** No route lists the boards, so the admin names one (its id from the LEADERBOARDS setting). */
function RankSection({ id }: { id: string }) {
  const [board, setBoard] = useState('');
  const [answer, setAnswer] = useState<{ rank?: Record<string, unknown>; error?: string } | null>(null);
  const look = async (event: Event) => {
    event.preventDefault();
    try {
      setAnswer({ rank: await get<Record<string, unknown>>(`leaderboards/${enc(board.trim())}/users/${enc(id)}`) });
    } catch (error) {
      setAnswer({ error: messageOf(error) });
    }
  };
  return (
    <Section title="Leaderboard rank" id="ranks">
      <form class="row" onSubmit={look}>
        <label>
          Leaderboard id
          <input name="leaderboard" required value={board} onInput={(e) => setBoard((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Look up</button>
      </form>
      {answer?.rank && <Fields value={answer.rank} />}
      {answer?.error && (
        <p class="error" role="alert">
          {answer.error}
        </p>
      )}
    </Section>
  );
}

interface Report {
  id: string;
  targetId: string;
  [key: string]: unknown;
}

/** The queue has no per-player filter: the first pages, open and resolved, filtered here. */
function ReportsAboutSection({ id }: { id: string }) {
  const reports = useLoad(async () => {
    const [open, resolved] = await Promise.all([get<Page<Report>>('admin/reports?status=open&limit=100'), get<Page<Report>>('admin/reports?status=resolved&limit=100')]);
    return [...open.items, ...resolved.items].filter((r) => r.targetId === id);
  }, id);
  return (
    <Section title="Reports about this player" id="reports-about">
      <LoadState loaded={reports}>{(items) => <AutoTable caption="Reports about this player" items={items} omit={['sortKey', 'targetId', 'targetUsername']} />}</LoadState>
    </Section>
  );
}
