/** The game catalog: games in Cosmos, changes published through the outbox. */
import { CosmosGameRepository } from '../../adapters/cosmos/games.js';
import type { CatalogDeps } from '../../core/catalog/catalog.js';
import type { EventSink } from '../../core/events/outbox.js';
import type { Infrastructure } from './infrastructure.js';

export function wireCatalog(infra: Infrastructure, events: EventSink): CatalogDeps {
  return { games: new CosmosGameRepository(infra.cosmos), events, clock: infra.clock, newId: infra.newId };
}
