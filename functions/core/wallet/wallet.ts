/**
 * The wallet: balances in minor units that never go negative, and an append-only ledger. A change
 * is applied by one etag-conditioned write of the balance document that also carries the new
 * ledger entry (see ports.ts); the entry and its event are copied out afterwards, by the writer or
 * by whoever reads the wallet next, so a crash in between leaves nothing half-applied for long.
 */
import { requireKnownUser } from '../accounts/known-user.js';
import type { UserRepository } from '../accounts/ports.js';
import { derivedEventId, userEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import { requireSelfOrStaff, requireStaff, type Caller } from '../kernel/caller.js';
import type { Clock } from '../kernel/clock.js';
import { DomainError, validationError } from '../kernel/errors.js';
import { invalidCursor, newestFirstKey, type Page, type PageRequest } from '../kernel/paging.js';
import type { LedgerEntry, WalletDocument, WalletRepository } from './ports.js';
import type { TransactionInput } from './schemas.js';

export interface WalletDeps {
  wallets: WalletRepository;
  events: EventSink;
  clock: Clock;
  users: Pick<UserRepository, 'findById'>;
  /** The configured currencies (CURRENCIES). */
  currencies: readonly string[];
}

export interface WalletView {
  userId: string;
  balances: Record<string, number>;
}

export interface TransactionResult {
  transaction: LedgerEntry;
  /** True when this idempotency key had been applied before: nothing changed this time. */
  replayed: boolean;
}

// Each lost race costs one read and one write; 32 writers on one balance settle within 32 rounds.
const MAX_ATTEMPTS = 64;

function emptyWallet(userId: string, now: string): WalletDocument {
  return { userId, balances: {}, pending: [], updatedAt: now };
}

export function requireCurrency(deps: Pick<WalletDeps, 'currencies'>, currency: string, field = 'currency'): void {
  if (!deps.currencies.includes(currency)) {
    throw validationError([{ field, message: `is not a configured currency (${deps.currencies.join(', ')})` }]);
  }
}

/** Copies an entry the balance write applied into the ledger, its event first (both idempotent). */
async function settle(deps: Pick<WalletDeps, 'wallets' | 'events'>, entry: LedgerEntry, mayBeInLedger = true): Promise<void> {
  if (mayBeInLedger && (await deps.wallets.findEntry(entry.userId, entry.idempotencyKey)) !== null) return;
  await deps.events.emit([
    userEvent(derivedEventId('wallet', entry.userId, entry.idempotencyKey), 'walletTransaction', {
      userId: entry.userId,
      currency: entry.currency,
      amount: entry.amount,
      balanceAfter: entry.balanceAfter,
      reason: entry.reason,
      idempotencyKey: entry.idempotencyKey,
      timestamp: entry.createdAt,
    }),
  ]);
  await deps.wallets.appendEntry(entry);
}

/** Finishes what an earlier write left in the balance document (the repair path). */
async function settlePending(deps: Pick<WalletDeps, 'wallets' | 'events'>, wallet: WalletDocument | null): Promise<void> {
  for (const entry of wallet?.pending ?? []) await settle(deps, entry);
}

// A younger pending entry is most likely still being copied out by the request that wrote it.
const SETTLE_GRACE_MS = 5_000;

/**
 * The pending entries a new write must keep: those not in the ledger yet. Young ones are left to
 * their own writer (so racing writers do not all publish its event); old ones are settled here.
 */
async function stillPending(deps: Pick<WalletDeps, 'wallets' | 'events'>, wallet: WalletDocument | null, now: number): Promise<LedgerEntry[]> {
  const kept = await Promise.all(
    (wallet?.pending ?? []).map(async (entry) => {
      if ((await deps.wallets.findEntry(entry.userId, entry.idempotencyKey)) !== null) return null;
      if (now - Date.parse(entry.createdAt) < SETTLE_GRACE_MS) return entry;
      await settle(deps, entry);
      return null;
    }),
  );
  return kept.filter((e) => e !== null);
}

/**
 * Applies one change, exactly once per (user, idempotency key); no caller checks (matches use it
 * for earnings). A debit the balance cannot cover is refused and not recorded, so it may be retried.
 */
export async function applyTransaction(deps: WalletDeps, userId: string, input: TransactionInput): Promise<TransactionResult> {
  requireCurrency(deps, input.currency);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { wallet, etag } = await deps.wallets.read(userId);
    // Read after the balance: an entry applied before that read is either pending there or in the ledger.
    const pendingEarlier = wallet?.pending.find((e) => e.idempotencyKey === input.idempotencyKey);
    if (pendingEarlier) {
      await settle(deps, pendingEarlier);
      return { transaction: pendingEarlier, replayed: true };
    }
    const nowMs = deps.clock.now();
    const [earlier, carried] = await Promise.all([deps.wallets.findEntry(userId, input.idempotencyKey), stillPending(deps, wallet, nowMs)]);
    if (earlier) return { transaction: earlier, replayed: true };
    const now = new Date(nowMs).toISOString();
    const current = wallet ?? emptyWallet(userId, now);
    const balance = current.balances[input.currency] ?? 0;
    const balanceAfter = balance + input.amount;
    if (balanceAfter < 0) {
      throw new DomainError('INSUFFICIENT_FUNDS', `The ${input.currency} balance (${balance}) does not cover ${-input.amount}.`, {
        errors: [{ field: 'amount', message: `exceeds the ${input.currency} balance of ${balance}` }],
      });
    }
    const entry: LedgerEntry = { idempotencyKey: input.idempotencyKey, userId, currency: input.currency, amount: input.amount, balanceAfter, reason: input.reason, createdAt: now };
    const next: WalletDocument = { userId, balances: { ...current.balances, [input.currency]: balanceAfter }, pending: [...carried, entry], updatedAt: now };
    if (!(await deps.wallets.write(next, etag))) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 2)));
      continue;
    }
    // Only this write applied it, so the ledger cannot have it yet.
    await settle(deps, entry, false);
    return { transaction: entry, replayed: false };
  }
  throw new DomainError('SERVICE_BUSY', `The wallet of ${userId} is changing too fast; retry shortly.`, { retryAfterSeconds: 1 });
}

/** POST /api/users/{id}/wallet/transactions: game servers and admins. */
export async function postTransaction(deps: WalletDeps, caller: Caller, userId: string, input: TransactionInput): Promise<TransactionResult> {
  requireStaff(caller, 'Changing a wallet');
  await requireKnownUser(deps.users, caller, userId);
  return applyTransaction(deps, userId, input);
}

/** GET /api/users/{id}/wallet: every configured currency, 0 where nothing happened yet. */
export async function getWallet(deps: WalletDeps, caller: Caller, userId: string): Promise<WalletView> {
  requireSelfOrStaff(caller, userId, 'A wallet');
  await requireKnownUser(deps.users, caller, userId);
  const { wallet } = await deps.wallets.read(userId);
  const balances = Object.fromEntries(deps.currencies.map((c) => [c, wallet?.balances[c] ?? 0]));
  return { userId, balances };
}

export function ledgerSortKey(entry: Pick<LedgerEntry, 'createdAt' | 'idempotencyKey'>): string {
  return newestFirstKey(entry.createdAt, entry.idempotencyKey);
}

/** GET /api/users/{id}/wallet/transactions: the ledger, newest first. */
export async function listTransactions(deps: WalletDeps, caller: Caller, userId: string, page: PageRequest): Promise<Page<LedgerEntry>> {
  requireSelfOrStaff(caller, userId, 'A wallet');
  await requireKnownUser(deps.users, caller, userId);
  const before = page.cursor === undefined ? undefined : Buffer.from(page.cursor, 'base64url').toString('utf8');
  if (before !== undefined && !/^\d{4}-\d\d-\d\dT[^|]+\|.+$/.test(before)) throw invalidCursor();
  await settlePending(deps, (await deps.wallets.read(userId)).wallet);
  const found = await deps.wallets.entries(userId, page.limit + 1, before);
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  return { items, cursor: found.length > page.limit && last ? Buffer.from(ledgerSortKey(last)).toString('base64url') : null };
}
