/**
 * The access-token deny list in Redis: a key per ended session and a per-user cutoff, each kept
 * only as long as a token issued before it could still be valid. One MGET per verification.
 *
 * Redis can come back empty (a restart without persistence, a failover to an empty replica), and
 * an empty deny list would let a logged-out or banned player's token work again. So the list has a
 * marker key, written when it (re)starts and never expiring: a missing marker means whatever was
 * revoked before is gone, and the marker's time becomes a global cutoff. Every access token issued
 * up to it is refused (401); clients refresh, and the sessions in Cosmos decide who gets a new one.
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
    private readonly onLoss: (cutoffSeconds: number) => void = () => {},
  ) {}

  private sessionKey(sessionId: string): string {
    return `${this.prefix}revoked:session:${sessionId}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}revoked:user:${userId}`;
  }

  /** When this deny list started (unix seconds); its absence means Redis lost it. */
  private markerKey(): string {
    return `${this.prefix}revoked:since`;
  }

  /** Starts the deny list afresh if Redis lost it; returns the cutoff every older token falls under. */
  private async restart(client: RedisClient): Promise<number> {
    const now = String(Math.floor(this.clock.now() / 1000));
    // NX: of the instances noticing at once, the first one's time is the cutoff for all.
    if ((await client.set(this.markerKey(), now, { NX: true })) === 'OK') {
      this.onLoss(Number(now));
      return Number(now);
    }
    return Number((await client.get(this.markerKey())) ?? now);
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

  async readyToIssue(): Promise<void> {
    const client = await this.redis();
    const since = await client.get(this.markerKey());
    const listStart = since ? Number(since) : await this.restart(client);
    // A token issued within the restart's second would fall under the cutoff: wait for the next.
    const wait = (listStart + 1) * 1000 - this.clock.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
  }

  async isRevoked(claims: AccessTokenClaims): Promise<boolean> {
    const client = await this.redis();
    const keys = [this.markerKey(), this.userKey(claims.sub), ...(claims.sid ? [this.sessionKey(claims.sid)] : [])];
    const [since, cutoff, session] = await client.mGet(keys);
    const listStart = since ? Number(since) : await this.restart(client);
    // Issued in the cutoff's second or before: a token minted just before a ban (or just before
    // Redis lost the list) must not survive it.
    if (claims.iat <= listStart) return true;
    if (cutoff && claims.iat <= Number(cutoff)) return true;
    return Boolean(session);
  }
}
