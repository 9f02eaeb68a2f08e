/**
 * The game catalog: anyone reads it, admins change it. Every change is published once through the
 * outbox (gameCreated, gameUpdated, gameDeleted), carrying the game as the API shows it.
 */
import { sameEtag } from '../accounts/profiles.js';
import { userEvent } from '../events/events.js';
import type { EventSink } from '../events/outbox.js';
import { requireAdmin, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { Page } from '../kernel/paging.js';
import { formatAmount, toMoney } from './money.js';
import type { GameRepository, StoredGame } from './ports.js';
import type { GameInput, GameListQuery } from './schemas.js';

export interface CatalogDeps {
  games: GameRepository;
  events: EventSink;
  clock: { now(): number };
  newId: () => string;
}

export interface GameView {
  gameId: string;
  title: string;
  genre: string;
  /** amount: the decimal text, exact; minorUnits: the same as an integer. */
  price: { amount: string; currency: string; minorUnits: number };
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface VersionedGame {
  view: GameView;
  etag: string | undefined;
}

export function toGameView(game: StoredGame): GameView {
  return {
    gameId: game.id,
    title: game.title,
    genre: game.genre,
    price: { amount: formatAmount(game.price), currency: game.price.currency, minorUnits: game.price.minorUnits },
    description: game.description,
    createdAt: game.createdAt,
    updatedAt: game.updatedAt,
  };
}

function gameNotFound(): DomainError {
  return new DomainError('NOT_FOUND', 'No such game.');
}

function versioned(game: StoredGame): VersionedGame {
  return { view: toGameView(game), etag: game.etag };
}

export async function listGames(deps: CatalogDeps, query: GameListQuery): Promise<Page<GameView>> {
  const { genre, search, limit, cursor } = query;
  const page = await deps.games.list({ genre: genre || undefined, search: search || undefined }, { limit, cursor });
  return { items: page.items.map(toGameView), cursor: page.cursor };
}

export async function getGame(deps: CatalogDeps, gameId: string): Promise<VersionedGame> {
  const game = await deps.games.get(gameId);
  if (!game) throw gameNotFound();
  return versioned(game);
}

export async function createGame(deps: CatalogDeps, caller: Caller, input: GameInput): Promise<VersionedGame> {
  requireAdmin(caller);
  const now = new Date(deps.clock.now()).toISOString();
  const created = await deps.games.create({
    id: deps.newId(),
    title: input.title,
    genre: input.genre,
    price: toMoney(input.price.amount, input.price.currency),
    description: input.description,
    createdAt: now,
    updatedAt: now,
  });
  const view = toGameView(created);
  await deps.events.emit([userEvent(deps.newId(), 'gameCreated', { userId: caller.subject, gameId: view.gameId, game: view, timestamp: now })]);
  return { view, etag: created.etag };
}

/** A full replacement; If-Match is required, so two admins' edits never silently overwrite each other. */
export async function updateGame(deps: CatalogDeps, caller: Caller, gameId: string, input: GameInput, ifMatch: string | undefined): Promise<VersionedGame> {
  requireAdmin(caller);
  if (ifMatch === undefined) {
    throw new DomainError('PRECONDITION_REQUIRED', 'Send If-Match with the ETag of the game as you read it.');
  }
  const current = await deps.games.get(gameId);
  if (!current?.etag) throw gameNotFound();
  if (ifMatch !== '*' && !sameEtag(ifMatch, current.etag)) throw staleGame();
  const now = new Date(deps.clock.now()).toISOString();
  const updated = await deps.games.replace(
    { ...current, title: input.title, genre: input.genre, price: toMoney(input.price.amount, input.price.currency), description: input.description, updatedAt: now },
    current.etag,
  );
  const view = toGameView(updated);
  await deps.events.emit([userEvent(deps.newId(), 'gameUpdated', { userId: caller.subject, gameId, game: view, timestamp: now })]);
  return { view, etag: updated.etag };
}

/** Deleting is idempotent for the caller (404 once gone); If-Match, when sent, must match. */
export async function deleteGame(deps: CatalogDeps, caller: Caller, gameId: string, ifMatch: string | undefined): Promise<void> {
  requireAdmin(caller);
  const current = await deps.games.get(gameId);
  if (!current) throw gameNotFound();
  if (ifMatch !== undefined && ifMatch !== '*' && !sameEtag(ifMatch, current.etag)) throw staleGame();
  if (!(await deps.games.delete(gameId, ifMatch === undefined || ifMatch === '*' ? undefined : current.etag))) throw gameNotFound();
  const now = new Date(deps.clock.now()).toISOString();
  await deps.events.emit([userEvent(deps.newId(), 'gameDeleted', { userId: caller.subject, gameId, timestamp: now })]);
}

export function staleGame(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The game changed since you read it (If-Match does not match its ETag); read it again.');
}
