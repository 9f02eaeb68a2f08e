/** What the wallet needs from storage: one balance document and an append-only ledger per player. */

/** One applied change of one currency, as the ledger keeps it forever. */
export interface LedgerEntry {
  /** The idempotency key: unique per player, so a retried request finds the first outcome. */
  idempotencyKey: string;
  userId: string;
  currency: string;
  /** Minor units; positive credits, negative debits. */
  amount: number;
  balanceAfter: number;
  reason: string;
  createdAt: string;
}

/**
 * The balance document: every currency's balance and the entries this write applied that may not be
 * in the ledger yet. Writing the balance and the entry in one step is what a transactional batch
 * would do; the local Cosmos stand-in's batch is not atomic, so the entry rides on the balance
 * write (etag-conditioned) and is copied to the ledger after: any later reader finishes the copy.
 */
export interface WalletDocument {
  userId: string;
  balances: Record<string, number>;
  pending: LedgerEntry[];
  updatedAt: string;
}

export interface WalletRepository {
  read(userId: string): Promise<{ wallet: WalletDocument | null; etag: string | null }>;
  /** Creates (etag null) or replaces on the etag; false when another write came first. */
  write(wallet: WalletDocument, etag: string | null): Promise<boolean>;
  /** The ledger entry of this key, if the ledger has it. */
  findEntry(userId: string, idempotencyKey: string): Promise<LedgerEntry | null>;
  /** Appends the entry; one already there (a repair racing the writer) is fine. */
  appendEntry(entry: LedgerEntry): Promise<void>;
  /** The ledger, newest first. */
  entries(userId: string, limit: number, before: string | undefined): Promise<LedgerEntry[]>;
}
