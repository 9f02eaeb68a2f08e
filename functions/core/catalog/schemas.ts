/** What clients send to the catalog, shared by every trigger. */
import { z } from 'zod';
import { pageQuery } from '../kernel/paging.js';
import { amountProblem } from './money.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const priceInput = z
  .strictObject({
    amount: z.union([z.string(), z.number()], 'must be a decimal amount like "19.99"'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
  })
  .superRefine((price, ctx) => {
    const problem = amountProblem(price.amount, price.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  })
  .meta({ id: 'PriceInput', description: 'A decimal amount (string, or a JSON number) and its currency; stored exactly, in minor units.' });

export const gameInput = z
  .strictObject({
    title: text(200),
    genre: text(50),
    price: priceInput,
    description: z.string().max(5_000, 'must be at most 5000 characters').default(''),
  })
  .meta({ id: 'GameInput' });
export type GameInput = z.infer<typeof gameInput>;

export const gameListQuery = pageQuery.extend({
  genre: z.string().trim().max(50, 'must be at most 50 characters').optional(),
  search: z.string().trim().max(100, 'must be at most 100 characters').optional(),
});
export type GameListQuery = z.infer<typeof gameListQuery>;
