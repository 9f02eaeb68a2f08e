/** The game catalog in Cosmos: one game per partition (point reads by id), listed across partitions. */
import type { Container } from '@azure/cosmos';
import { staleGame } from '../../core/catalog/catalog.js';
import type { GameFilter, GameRepository, StoredGame } from '../../core/catalog/ports.js';
import { DomainError } from '../../core/kernel/errors.js';
import type { Page, PageRequest } from '../../core/kernel/paging.js';
import { cosmosStatus, encodeCursor, fetchPage, isPossibleId, type CosmosHandle } from './client.js';

interface GameDocument extends Omit<StoredGame, 'etag'> {
  /** Lower-case title and genre: case-insensitive filters and the list order. */
  titleKey: string;
  genreKey: string;
  _etag?: string;
}

function toDocument(game: StoredGame): GameDocument {
  const { etag: _etag, ...fields } = game;
  return { ...fields, titleKey: game.title.toLowerCase(), genreKey: game.genre.toLowerCase() };
}

function fromDocument(doc: GameDocument): StoredGame {
  return {
    id: doc.id,
    title: doc.title,
    genre: doc.genre,
    price: { minorUnits: doc.price.minorUnits, currency: doc.price.currency },
    description: doc.description,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc._etag ? { etag: doc._etag } : {}),
  };
}

export class CosmosGameRepository implements GameRepository {
  private readonly games: Container;

  constructor(cosmos: CosmosHandle) {
    this.games = cosmos.container('games');
  }

  async create(game: StoredGame): Promise<StoredGame> {
    const { resource } = await this.games.items.create<GameDocument>(toDocument(game));
    if (!resource) throw new Error('Cosmos returned no document for a created game');
    return fromDocument(resource);
  }

  async get(id: string): Promise<StoredGame | null> {
    if (!isPossibleId(id)) return null;
    const { resource } = await this.games.item(id, id).read<GameDocument>();
    return resource ? fromDocument(resource) : null;
  }

  async replace(game: StoredGame, etag: string): Promise<StoredGame> {
    try {
      const { resource } = await this.games.item(game.id, game.id).replace<GameDocument>(toDocument(game), { accessCondition: { type: 'IfMatch', condition: etag } });
      if (!resource) throw new Error('Cosmos returned no document for a replaced game');
      return fromDocument(resource);
    } catch (error) {
      if (cosmosStatus(error) === 412) throw staleGame();
      if (cosmosStatus(error) === 404) throw new DomainError('NOT_FOUND', 'No such game.');
      throw error;
    }
  }

  async delete(id: string, etag: string | undefined): Promise<boolean> {
    try {
      await this.games.item(id, id).delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : {});
      return true;
    } catch (error) {
      if (cosmosStatus(error) === 404) return false;
      if (cosmosStatus(error) === 412) throw staleGame();
      throw error;
    }
  }

  async list(filter: GameFilter, page: PageRequest): Promise<Page<StoredGame>> {
    const conditions: string[] = [];
    const parameters: { name: string; value: string }[] = [];
    if (filter.genre !== undefined) {
      conditions.push('c.genreKey = @genre');
      parameters.push({ name: '@genre', value: filter.genre.toLowerCase() });
    }
    if (filter.search !== undefined) {
      conditions.push('CONTAINS(c.titleKey, @search)');
      parameters.push({ name: '@search', value: filter.search.toLowerCase() });
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '';
    const response = await fetchPage(page.cursor, (continuationToken) =>
      this.games.items
        .query<GameDocument>({ query: `SELECT * FROM c ${where}ORDER BY c.titleKey`, parameters }, { maxItemCount: page.limit, continuationToken })
        .fetchNext(),
    );
    return { items: response.resources.map(fromDocument), cursor: encodeCursor(response.continuationToken) };
  }
}
