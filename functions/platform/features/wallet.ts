/** The wallet: configured currencies, balances and the ledger in Cosmos. */
import { z } from 'zod';
import { CosmosWalletRepository } from '../../adapters/cosmos/wallets.js';
import type { UserRepository } from '../../core/accounts/ports.js';
import type { EventSink } from '../../core/events/outbox.js';
import type { WalletDeps } from '../../core/wallet/wallet.js';
import { featureSettings } from '../settings-kit.js';
import type { Infrastructure } from './infrastructure.js';

export const walletSettings = featureSettings({
  shape: {
    /** Currency codes, comma-separated; amounts are whole minor units. */
    CURRENCIES: z
      .string()
      .default('gold')
      .transform((text) => text.split(',').map((c) => c.trim()).filter((c) => c !== ''))
      .refine((list) => list.length > 0, 'needs at least one currency')
      .refine((list) => list.every((c) => /^[a-z][a-z0-9_-]{0,31}$/.test(c)), 'must be lowercase codes like gold,gems (letters, digits, _ and -, at most 32)')
      .refine((list) => new Set(list).size === list.length, 'names a currency twice')
      .describe('azure-required'),
  },
  read: (s) => ({ wallet: { currencies: s.CURRENCIES } }),
});

export type WalletConfig = ReturnType<typeof walletSettings.read>;

export function wireWallet(config: WalletConfig, infra: Infrastructure, events: EventSink, users: Pick<UserRepository, 'findById'>): WalletDeps {
  return { wallets: new CosmosWalletRepository(infra.cosmos), events, clock: infra.clock, users, currencies: config.wallet.currencies };
}
