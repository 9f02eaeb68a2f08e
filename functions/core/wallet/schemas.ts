/** Wallet inputs, shared by every trigger. */
import { z } from 'zod';

export const MAX_AMOUNT = 1_000_000_000_000;

/** Safe as a Cosmos id and in a URL: a client's retry token. */
export const idempotencyKey = z
  .string('must be a string')
  .regex(/^[A-Za-z0-9._:~-]{1,200}$/, 'must be 1-200 characters of letters, digits and . _ : ~ -');

export const transactionInput = z.strictObject({
  currency: z.string('must be a string').min(1, 'is required').max(32),
  amount: z
    .number('must be a number')
    .int('must be a whole number of minor units')
    .refine((n) => n !== 0, 'must not be 0')
    .refine((n) => Math.abs(n) <= MAX_AMOUNT, `must be at most ${MAX_AMOUNT} either way`),
  reason: z.string('must be a string').min(1, 'is required').max(200),
  idempotencyKey,
});
export type TransactionInput = z.infer<typeof transactionInput>;
