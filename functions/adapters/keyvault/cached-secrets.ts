/**
 * A SecretProvider over a slow, remote source (Key Vault): each secret is cached for a while,
 * refreshed in the background before it goes stale, re-read at once when a consumer reports it
 * was refused, and never read by two callers at the same time.
 */
import { DomainError } from '../../core/kernel/errors.js';
import type { SecretProvider } from '../../core/kernel/secrets.js';

export interface SecretSource {
  /** Where the values come from, for logs (e.g. "Key Vault https://x.vault.azure.net"). */
  readonly description: string;
  /** The current value; undefined when the secret does not exist. Throws when the source cannot answer. */
  read(name: string): Promise<string | undefined>;
}

export interface CacheOptions {
  /** How long a value is served after it was read; past that it is stale and never served. */
  ttlMs: number;
  /** Fraction of ttlMs after which a read starts a background refresh (default 0.8). */
  refreshAhead?: number;
  /** A forced re-read (rejected()) happens at most once per this interval per secret. */
  rereadIntervalMs: number;
  /** After a failed read, no new attempt for this long: an outage is not hammered (default 5 s). */
  failureBackoffMs?: number;
  /** A missing secret is asked for again after at most this long (default min(ttlMs, 30 s)). */
  missingTtlMs?: number;
  now?: () => number;
  log?: (message: string) => void;
}

interface Entry {
  value: string | undefined;
  refreshAt: number;
  staleAt: number;
}

interface State {
  entry: Entry | undefined;
  inflight: Promise<Entry> | undefined;
  /** No read is started before this time (set after a failure). */
  retryAt: number;
  lastForcedAt: number;
}

export class CachedSecretProvider implements SecretProvider {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly source: SecretSource,
    private readonly options: CacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((message) => console.warn(message));
  }

  async get(name: string): Promise<string | undefined> {
    const state = this.state(name);
    const now = this.now();
    const entry = state.entry;
    if (entry && now < entry.staleAt) {
      if (now >= entry.refreshAt && state.inflight === undefined && now >= state.retryAt) {
        // The caller gets the cached value now; a failure here is logged by load() and retried later.
        this.load(name, state, 'refresh').catch(() => undefined);
      }
      return entry.value;
    }
    if (state.inflight) return (await state.inflight).value;
    if (now < state.retryAt) throw unavailable(Math.ceil((state.retryAt - now) / 1000));
    return (await this.load(name, state, 'read')).value;
  }

  async rejected(name: string, value: string): Promise<string | undefined> {
    const state = this.state(name);
    // A read in flight may be the re-read another caller started for the same refusal: share it.
    if (state.inflight) await state.inflight.catch(() => undefined);
    // Someone already re-read it and found a newer value.
    if (state.entry && state.entry.value !== value) return state.entry.value;
    const now = this.now();
    if (now - state.lastForcedAt < this.options.rereadIntervalMs) return state.entry?.value;
    state.lastForcedAt = now;
    this.log(`secrets: ${name} was refused by its consumer; re-reading it from ${this.source.description}`);
    return this.load(name, state, 're-read').then(
      (entry) => entry.value,
      () => state.entry?.value,
    );
  }

  private state(name: string): State {
    let state = this.states.get(name);
    if (state === undefined) {
      state = { entry: undefined, inflight: undefined, retryAt: 0, lastForcedAt: Number.NEGATIVE_INFINITY };
      this.states.set(name, state);
    }
    return state;
  }

  /** The one read of a secret in flight; everyone asking meanwhile shares it. */
  private load(name: string, state: State, why: 'read' | 'refresh' | 're-read'): Promise<Entry> {
    state.inflight ??= this.read(name, state, why).finally(() => {
      state.inflight = undefined;
    });
    return state.inflight;
  }

  private async read(name: string, state: State, why: string): Promise<Entry> {
    try {
      const value = await this.source.read(name);
      const now = this.now();
      const ttl = value === undefined ? (this.options.missingTtlMs ?? Math.min(this.options.ttlMs, 30_000)) : this.options.ttlMs;
      const entry = { value, refreshAt: now + ttl * (this.options.refreshAhead ?? 0.8), staleAt: now + ttl };
      state.entry = entry;
      state.retryAt = 0;
      return entry;
    } catch (error) {
      const now = this.now();
      state.retryAt = now + (this.options.failureBackoffMs ?? 5_000);
      const reason = error instanceof Error ? error.message : String(error);
      const cached = state.entry && now < state.entry.staleAt;
      const until = cached && state.entry ? `serving the cached value until ${new Date(state.entry.staleAt).toISOString()}` : 'no usable value';
      this.log(`secrets: ${why} of ${name} from ${this.source.description} failed (${reason}); ${until}`);
      throw unavailable(Math.ceil((state.retryAt - now) / 1000), error);
    }
  }
}

function unavailable(retryAfterSeconds: number, cause?: unknown): DomainError {
  // Callers learn only that a dependency is down: which secret, and why, are for the logs.
  return new DomainError('SERVICE_UNAVAILABLE', 'A dependency of this service is unavailable; try again shortly.', {
    retryAfterSeconds: Math.max(1, retryAfterSeconds),
    cause,
  });
}
