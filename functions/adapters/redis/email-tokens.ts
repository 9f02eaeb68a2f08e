/** Link tokens in Redis: a key per token hash with the token's lifetime; GETDEL makes each single use. */
import type { EmailTokenStore, TokenRecord } from '../../core/email/ports.js';
import { TOKEN_PURPOSES } from '../../core/email/ports.js';
import type { RedisClient } from './client.js';

export class RedisEmailTokens implements EmailTokenStore {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly prefix: string,
  ) {}

  private key(tokenHash: string): string {
    return `${this.prefix}email-token:${tokenHash}`;
  }

  async save(tokenHash: string, record: TokenRecord, ttlSeconds: number): Promise<void> {
    const client = await this.redis();
    await client.set(this.key(tokenHash), JSON.stringify(record), { EX: ttlSeconds });
  }

  async take(tokenHash: string): Promise<TokenRecord | null> {
    const client = await this.redis();
    const text = await client.getDel(this.key(tokenHash));
    if (typeof text !== 'string') return null;
    const record = JSON.parse(text) as TokenRecord;
    return (TOKEN_PURPOSES as readonly string[]).includes(record.purpose) ? record : null;
  }
}
