/** What the catalog needs from storage. */
import type { Page, PageRequest } from '../kernel/paging.js';
import type { Money } from './money.js';

export interface StoredGame {
  id: string;
  title: string;
  genre: string;
  price: Money;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** The store's version; absent on a game not yet stored. */
  etag?: string;
}

export interface GameFilter {
  /** Exact genre, case-insensitive. */
  genre?: string | undefined;
  /** Part of the title, case-insensitive. */
  search?: string | undefined;
}

export interface GameRepository {
  create(game: StoredGame): Promise<StoredGame>;
  get(id: string): Promise<StoredGame | null>;
  /** Writes the game if its stored etag is still `etag`: PRECONDITION_FAILED otherwise, NOT_FOUND if gone. */
  replace(game: StoredGame, etag: string): Promise<StoredGame>;
  /** Removes the game (if `etag` is given, only that version): false if there was none. */
  delete(id: string, etag: string | undefined): Promise<boolean>;
  /** By title, then id. */
  list(filter: GameFilter, page: PageRequest): Promise<Page<StoredGame>>;
}
