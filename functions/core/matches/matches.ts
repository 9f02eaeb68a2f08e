/**
 * Matches: live ones in Redis for other servers to read, and results applied exactly once. The
 * result record in Cosmos is created first and is the authority; every step after it (stats and
 * history, leaderboard submissions, wallet credits, events) is idempotent by match id, so a
 * retried, duplicated or crashed application is completed by running it again (a retry or the
 * repair timer) and nothing moves twice.
 */
import { createHash } from 'node:crypto';
import { requireKnownUser } from '../accounts/known-user.js';
import type { UserRepository } from '../accounts/ports.js';
import { derivedEventId, userEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import { requireSelfOrStaff, requireService, requireStaff, type Caller } from '../kernel/caller.js';
import type { Clock } from '../kernel/clock.js';
import { DomainError, validationError, type FieldError } from '../kernel/errors.js';
import { invalidCursor, newestFirstKey, type Page, type PageRequest } from '../kernel/paging.js';
import { submitScore, type LeaderboardDeps } from '../leaderboards/leaderboards.js';
import { applyTransaction, type WalletDeps } from '../wallet/wallet.js';
import { countMatch, emptyPlayerStats, sourceValue } from './player-stats.js';
import type { Aggregation, LiveMatch, LiveMatchStore, MatchHistoryEntry, MatchRecord, MatchRecords, PlayerMatchRepository, PlayerStats } from './ports.js';
import { MATCH_ID, type LiveMatchInput, type MatchResultInput, type PlayerResult } from './schemas.js';

export interface MatchDeps {
  live: LiveMatchStore;
  records: MatchRecords;
  players: PlayerMatchRepository;
  leaderboards: LeaderboardDeps;
  wallet: WalletDeps;
  events: EventSink;
  clock: Clock;
  users: Pick<UserRepository, 'findById'>;
  /** STATS: the named stats game servers may report, each with its aggregation. */
  stats: Record<string, Aggregation>;
  ttlSeconds: number;
}

export interface MatchView {
  id: string;
  mode: string;
  endedAt: string;
  status: MatchRecord['status'];
  results: PlayerResult[];
}

function requireMatchId(id: string): void {
  if (!MATCH_ID.test(id)) throw validationError([{ field: 'id', message: 'must be 1-128 letters, digits and . _ : ~ -' }]);
}

/** PUT /api/matches/{id}: game servers create or update a live match. */
export async function putLiveMatch(deps: MatchDeps, caller: Caller, id: string, input: LiveMatchInput): Promise<{ match: LiveMatch; created: boolean }> {
  requireService(caller);
  requireMatchId(id);
  const now = new Date(deps.clock.now()).toISOString();
  const existing = await deps.live.get(id);
  if (existing === 'ended') throw matchEnded(id);
  const match: LiveMatch = { id, mode: input.mode, players: input.players, state: input.state ?? null, createdAt: existing?.createdAt ?? now, updatedAt: now };
  const outcome = await deps.live.put(match, deps.ttlSeconds);
  if (outcome === 'ended') throw matchEnded(id);
  return { match, created: outcome === 'created' };
}

function matchEnded(id: string): DomainError {
  return new DomainError('CONFLICT', `Match ${id} has ended; it cannot be updated.`);
}

/** GET /api/matches/{id}: a live match, for game servers and admins. */
export async function getLiveMatch(deps: MatchDeps, caller: Caller, id: string): Promise<LiveMatch> {
  requireStaff(caller, 'Reading a live match');
  requireMatchId(id);
  const match = await deps.live.get(id);
  if (match === null || match === 'ended') throw new DomainError('NOT_FOUND', match === 'ended' ? `Match ${id} has ended.` : `No live match ${id}.`);
  return match;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function fingerprint(input: MatchResultInput): string {
  const results = [...input.results].sort((a, b) => (a.userId < b.userId ? -1 : 1));
  return createHash('sha256').update(canonical({ mode: input.mode, endedAt: input.endedAt, results })).digest('base64url');
}

/** Client mistakes the schema cannot see: currencies and stats must be configured. */
function checkConfigured(deps: MatchDeps, input: MatchResultInput): void {
  const errors: FieldError[] = [];
  input.results.forEach((r, i) => {
    for (const currency of Object.keys(r.earnings ?? {})) {
      if (!deps.wallet.currencies.includes(currency)) errors.push({ field: `results[${i}].earnings.${currency}`, message: 'is not a configured currency' });
    }
    for (const name of Object.keys(r.stats ?? {})) {
      if (!(name in deps.stats)) errors.push({ field: `results[${i}].stats.${name}`, message: 'is not a configured stat (STATS)' });
    }
  });
  if (errors.length > 0) throw validationError(errors);
}

function view(record: MatchRecord): MatchView {
  return { id: record.id, mode: record.mode, endedAt: record.endedAt, status: record.status, results: record.results };
}

/**
 * POST /api/matches/{id}/result: records the result once, then applies it. The same result again
 * finishes whatever an earlier attempt left undone and answers `replayed`; a different one is 409.
 */
export async function reportResult(deps: MatchDeps, caller: Caller, id: string, input: MatchResultInput): Promise<{ match: MatchView; replayed: boolean }> {
  requireService(caller);
  requireMatchId(id);
  checkConfigured(deps, input);
  const now = new Date(deps.clock.now()).toISOString();
  const live = await deps.live.get(id);
  const candidate: MatchRecord = {
    id,
    mode: input.mode ?? (live !== null && live !== 'ended' ? live.mode : 'unknown'),
    endedAt: input.endedAt ?? now,
    results: input.results,
    fingerprint: fingerprint(input),
    status: 'applying',
    receivedAt: now,
    appliedAt: null,
  };
  const created = await deps.records.create(candidate);
  const record = created ? candidate : await deps.records.find(id);
  if (!record) throw new Error(`match ${id}: the result record exists but cannot be read`);
  if (record.fingerprint !== candidate.fingerprint) throw new DomainError('CONFLICT', `Match ${id} already has a different result.`);
  if (record.status === 'applied') return { match: view(record), replayed: true };
  await deps.live.end(id, deps.ttlSeconds);
  return { match: view(await applyResult(deps, record)), replayed: !created };
}

/** Every step of applying a recorded result; each is idempotent by match id. */
export async function applyResult(deps: MatchDeps, record: MatchRecord): Promise<MatchRecord> {
  const now = new Date(deps.clock.now()).toISOString();
  for (const result of record.results) {
    const entry: MatchHistoryEntry = { ...result, matchId: record.id, mode: record.mode, endedAt: record.endedAt };
    await deps.players.addHistory(result.userId, entry);
    await countForPlayer(deps, record.id, result, now);
    for (const board of deps.leaderboards.boards) {
      const value = board.source === null ? undefined : sourceValue(board.source, result);
      if (value !== undefined) await submitScore(deps.leaderboards, board, { userId: result.userId, score: value }, `match:${record.id}`);
    }
    for (const [currency, amount] of Object.entries(result.earnings ?? {})) {
      if (amount === 0) continue;
      await applyTransaction(deps.wallet, result.userId, { currency, amount, reason: `match ${record.id}`, idempotencyKey: `match:${record.id}:${currency}` });
    }
  }
  const players = record.results.map((r) => ({ userId: r.userId, outcome: r.outcome, score: r.score ?? null }));
  await deps.events.emit(
    record.results.map((r) =>
      userEvent(derivedEventId('matchCompleted', record.id, r.userId), 'matchCompleted', {
        userId: r.userId,
        matchId: record.id,
        mode: record.mode,
        outcome: r.outcome,
        players,
        timestamp: record.endedAt,
      }),
    ),
  );
  await deps.records.markApplied(record.id, now);
  return { ...record, status: 'applied', appliedAt: now };
}

async function countForPlayer(deps: MatchDeps, matchId: string, result: PlayerResult, now: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { stats, etag } = await deps.players.readStats(result.userId);
    const current = stats ?? emptyPlayerStats(result.userId);
    const next = countMatch(current, matchId, result, deps.stats, now);
    if (next === current || (await deps.players.writeStats(next, etag))) return;
  }
  throw new Error(`stats of ${result.userId} kept changing while counting match ${matchId}; the repair timer retries`);
}

/** The repair timer's run: finishes results whose application stopped halfway (a crash). */
export async function finishUnapplied(deps: MatchDeps, graceMs = 30_000): Promise<string[]> {
  const before = new Date(deps.clock.now() - graceMs).toISOString();
  const finished: string[] = [];
  for (const record of await deps.records.unfinished(before, 100)) {
    await applyResult(deps, record);
    finished.push(record.id);
  }
  return finished;
}

export function historySortKey(entry: Pick<MatchHistoryEntry, 'endedAt' | 'matchId'>): string {
  return newestFirstKey(entry.endedAt, entry.matchId);
}

/** GET /api/users/{id}/matches: the player's matches, newest first, each with their outcome. */
export async function matchHistory(deps: MatchDeps, caller: Caller, userId: string, page: PageRequest): Promise<Page<MatchHistoryEntry>> {
  requireSelfOrStaff(caller, userId, 'Match history');
  await requireKnownUser(deps.users, caller, userId);
  const before = page.cursor === undefined ? undefined : Buffer.from(page.cursor, 'base64url').toString('utf8');
  if (before !== undefined && !/^\d{4}-\d\d-\d\dT[^|]+\|.+$/.test(before)) throw invalidCursor();
  const found = await deps.players.history(userId, page.limit + 1, before);
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  return { items, cursor: found.length > page.limit && last ? Buffer.from(historySortKey(last)).toString('base64url') : null };
}

export type MatchStatsView = Omit<PlayerStats, 'matchIds' | 'userId'>;

/** A player's match stats as clients see them (the counted match ids are internal). */
export async function readMatchStats(deps: Pick<MatchDeps, 'players'>, userId: string): Promise<MatchStatsView> {
  const { stats } = await deps.players.readStats(userId);
  const { matchIds: _ids, userId: _user, ...shown } = stats ?? emptyPlayerStats(userId);
  return shown;
}
