/** What the wallet routes answer, as the OpenAPI document describes it. */
import { z } from 'zod';
import type { LedgerEntry } from '../../core/wallet/ports.js';
import type { TransactionResult, WalletView } from '../../core/wallet/wallet.js';

export const walletView = z
  .object({ userId: z.string(), balances: z.record(z.string(), z.number().int().min(0)) })
  .meta({ id: 'Wallet', description: 'Every configured currency, in minor units.' });
walletView satisfies z.ZodType<WalletView>;

export const ledgerEntry = z
  .object({
    idempotencyKey: z.string(),
    userId: z.string(),
    currency: z.string(),
    amount: z.number().int(),
    balanceAfter: z.number().int().min(0),
    reason: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'WalletTransaction' });
ledgerEntry satisfies z.ZodType<LedgerEntry>;

export const transactionResult = z
  .object({ transaction: ledgerEntry, replayed: z.boolean().meta({ description: 'True when the idempotency key had been applied before: nothing changed.' }) })
  .meta({ id: 'WalletTransactionResult' });
transactionResult satisfies z.ZodType<TransactionResult>;

export const ledgerPage = z.object({ items: z.array(ledgerEntry), cursor: z.string().nullable() }).meta({ id: 'WalletTransactionPage' });
