/**
 * The access-token deny list in Redis: a key per ended session and a per-user cutoff, each kept
 * only as long as a token issued before it could still be valid. One MGET per verification.
 */
import type { AccessTokenClaims, TokenRevocations } from '../../core/sessions/ports.js';
import type { Clock } from '../../core/kernel/clock.js';
import type { RedisClient } from './client.js';

/** Beyond the token lifetime: the verifier's clock tolerance and some slack. */
const SLACK_SECONDS = 60;

export class RedisTokenRevocations implements TokenRevocations {
  constructor(
    private readonly redis: () => Promise<RedisClient>,
    private readonly prefix: string,
    private readonly accessTokenTtlSeconds: number,
    private readonly clock: Clock,
  ) {}

  private sessionKey(sessionId: string): string {
    return `${this.prefix}revoked:session:${sessionId}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}revoked:user:${userId}`;
  }

  async revokeSessions(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const client = await this.redis();
    const ttl = this.accessTokenTtlSeconds + SLACK_SECONDS;
    const batch = client.multi();
    for (const id of sessionIds) batch.set(this.sessionKey(id), '1', { EX: ttl });
    await batch.exec();
  }

  async revokeUser(userId: string): Promise<void> {
    const client = await this.redis();
    const cutoff = Math.floor(this.clock.now() / 1000);
    await client.set(this.userKey(userId), String(cutoff), { EX: this.accessTokenTtlSeconds + SLACK_SECONDS });
  }

  async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    const client = await this.redis();
    const keys = [this.userKey(claims.sub), ...(claims.sid ? [this.sessionKey(claims.sid)] : [])];
    const [cutoff, session] = await client.mGet(keys);
    // Issued in the cutoff's second or before: a token minted just before a ban must not survive it.
    if (cutoff && claims.iat <= Number(cutoff)) return true;
    return Boolean(session);
  }
}
