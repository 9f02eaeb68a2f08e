/** A player's own privacy settings and preferences document. */
import { requirePlayer, type Caller } from '../kernel/caller.js';
import { DomainError } from '../kernel/errors.js';
import type { SocialDeps } from './deps.js';
import type { Versioned } from './ports.js';
import type { Privacy } from './privacy.js';
import type { PrivacyPatch } from './schemas.js';
import { callerRef } from './views.js';

export async function getPrivacy(deps: SocialDeps, caller: Caller): Promise<Privacy> {
  return deps.privacy.get(requirePlayer(caller));
}

/** Changes some settings; turning `searchable` off takes the player out of search at once. */
export async function updatePrivacy(deps: SocialDeps, caller: Caller, patch: PrivacyPatch): Promise<Privacy> {
  const me = requirePlayer(caller);
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Privacy>;
  const updated = await deps.privacy.update(me, (current) => ({ ...current, ...changes }));
  if (patch.searchable !== undefined) {
    const ref = await callerRef(deps, caller);
    // Read back after the write: of two racing changes, the index follows the stored one.
    const stored = await deps.privacy.get(me);
    await (stored.searchable ? deps.index.add([ref]) : deps.index.remove([ref]));
  }
  return updated;
}

export async function getPreferences(deps: SocialDeps, caller: Caller): Promise<Versioned<Record<string, unknown>>> {
  return deps.preferences.get(requirePlayer(caller));
}

/** PUT replaces the document, PATCH merges top-level fields (null removes one); If-Match guards both. */
export async function writePreferences(
  deps: SocialDeps,
  caller: Caller,
  document: Record<string, unknown>,
  mode: 'replace' | 'merge',
  ifMatch: string | undefined,
): Promise<Versioned<Record<string, unknown>>> {
  const me = requirePlayer(caller);
  let next = document;
  let condition = ifMatch === '*' ? undefined : ifMatch;
  if (mode === 'merge') {
    const current = await deps.preferences.get(me);
    // Without If-Match the merge still applies to exactly the version it read.
    if (condition === undefined) condition = current.etag ?? undefined;
    next = { ...current.value };
    for (const [key, value] of Object.entries(document)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(next), 'utf8');
  if (bytes > deps.preferencesMaxBytes) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `Preferences must be at most ${deps.preferencesMaxBytes} bytes of JSON (this would be ${bytes}).`);
  }
  return deps.preferences.put(me, next, condition);
}
