/** What the catalog routes answer, as the OpenAPI document describes it. */
import { z } from 'zod';
import type { GameView } from '../../core/catalog/catalog.js';

const isoDateTime = z.iso.datetime({ offset: true });

export const gameView = z
  .object({
    gameId: z.string(),
    title: z.string(),
    genre: z.string(),
    price: z
      .object({
        amount: z.string().meta({ description: 'The decimal price, exact, with the currency\'s decimals ("19.99").' }),
        currency: z.string().meta({ description: 'ISO 4217.' }),
        minorUnits: z.number().int().min(0).meta({ description: 'The same price in minor units (1999).' }),
      })
      .meta({ id: 'Price' }),
    description: z.string(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Game' });
gameView satisfies z.ZodType<GameView>;

export const gamePage = z.object({ items: z.array(gameView), cursor: z.string().nullable() }).meta({ id: 'GamePage' });

export const ETAG_HEADER = { ETag: 'The version of the game, for If-Match.' };
