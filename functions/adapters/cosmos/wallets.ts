/** Wallets in Cosmos: per player partition, one balance document and one document per ledger entry. */
import type { Container } from '@azure/cosmos';
import { ledgerSortKey } from '../../core/wallet/wallet.js';
import type { LedgerEntry, WalletDocument, WalletRepository } from '../../core/wallet/ports.js';
import { cosmosStatus, createIfAbsent, isPossibleId, newestFirst, type CosmosHandle } from './client.js';

const BALANCE_ID = 'balance';

interface BalanceDoc extends WalletDocument {
  id: string;
  type: 'balance';
  _etag?: string;
}

interface EntryDoc extends LedgerEntry {
  id: string;
  type: 'transaction';
  /** createdAt|key: newest-first order as one indexed field. */
  sortKey: string;
}

function entryDoc(entry: LedgerEntry): EntryDoc {
  return { ...entry, id: `tx:${entry.idempotencyKey}`, type: 'transaction', sortKey: ledgerSortKey(entry) };
}

function fromEntryDoc(doc: EntryDoc): LedgerEntry {
  const { idempotencyKey, userId, currency, amount, balanceAfter, reason, createdAt } = doc;
  return { idempotencyKey, userId, currency, amount, balanceAfter, reason, createdAt };
}

export class CosmosWalletRepository implements WalletRepository {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('wallets');
  }

  async read(userId: string): Promise<{ wallet: WalletDocument | null; etag: string | null }> {
    if (!isPossibleId(userId)) return { wallet: null, etag: null };
    const { resource } = await this.container.item(BALANCE_ID, userId).read<BalanceDoc>();
    if (!resource) return { wallet: null, etag: null };
    const { balances, pending, updatedAt } = resource;
    return { wallet: { userId, balances, pending, updatedAt }, etag: resource._etag ?? null };
  }

  async write(wallet: WalletDocument, etag: string | null): Promise<boolean> {
    const doc: BalanceDoc = { ...wallet, id: BALANCE_ID, type: 'balance' };
    try {
      if (etag === null) await this.container.items.create(doc);
      else await this.container.item(BALANCE_ID, wallet.userId).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (error) {
      const status = cosmosStatus(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  async findEntry(userId: string, idempotencyKey: string): Promise<LedgerEntry | null> {
    const { resource } = await this.container.item(`tx:${idempotencyKey}`, userId).read<EntryDoc>();
    return resource ? fromEntryDoc(resource) : null;
  }

  async appendEntry(entry: LedgerEntry): Promise<void> {
    await createIfAbsent(this.container, entryDoc(entry));
  }

  async entries(userId: string, limit: number, before: string | undefined): Promise<LedgerEntry[]> {
    if (!isPossibleId(userId)) return [];
    const resources = await newestFirst<EntryDoc>(this.container, userId, 'transaction', limit, before);
    return resources.map(fromEntryDoc);
  }
}
