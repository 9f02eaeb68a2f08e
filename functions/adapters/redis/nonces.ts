/** Used ID-token nonces in Redis: SET NX with the token's expiry, so a nonce is good once until then. */
import type { NonceRegistry } from '../../core/identities/ports.js';
import type { RedisClient } from './client.js';

export class RedisNonceRegistry implements NonceRegistry {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  async useOnce(key: string, expiresAtMs: number): Promise<boolean> {
    // An expired token is refused before this; still keep the mark a minute for clock skew.
    const until = Math.max(expiresAtMs, this.now()) + 60_000;
    const client = await this.redis();
    const result = await client.set(`${this.prefix}nonce:${key}`, '1', { NX: true, PXAT: until });
    return result === 'OK';
  }
}
