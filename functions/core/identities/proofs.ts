/**
 * Proving an identity: a device id, an ID token of a configured provider, or a Steam session
 * ticket. Signing in and linking prove it the same way; the result names the one claim key.
 */
import { DomainError, validationError } from '../kernel/errors.js';
import type { IdentityMethod } from '../accounts/users.js';
import type { IdentityDeps } from './deps.js';
import type { DeviceProof, OidcProof, SteamProof } from './schemas.js';

export interface ProvenIdentity {
  method: IdentityMethod;
  key: string;
  provider: string | null;
  subject: string | null;
  /** Whether an unknown identity may make a new account by signing in. */
  allowCreate: boolean;
}

export type Proof = { method: 'device'; proof: DeviceProof } | { method: 'oidc'; proof: OidcProof } | { method: 'steam'; proof: SteamProof };

/** One answer for a token that is forged, expired, for someone else, or already used. */
export function invalidIdToken(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The ID token is invalid, expired or already used.');
}

export async function prove(deps: IdentityDeps, { method, proof }: Proof, allowDeviceCreate = false): Promise<ProvenIdentity> {
  if (method === 'device') {
    const hash = await deps.deviceIds.hash(proof.deviceId);
    return { method, key: `device:${hash}`, provider: null, subject: null, allowCreate: allowDeviceCreate };
  }
  if (method === 'steam') {
    const { steamId } = await deps.steam.authenticate(proof.ticket);
    // A SteamID signs in the account it was linked to; it does not make accounts on its own.
    return { method, key: `steam:${steamId}`, provider: null, subject: steamId, allowCreate: false };
  }
  const provider = deps.oidc.providers().get(proof.provider);
  if (!provider) throw validationError([{ field: 'provider', message: 'is not a configured provider' }], 'Unknown identity provider.');
  const token = await deps.oidc.verify(proof.provider, proof.idToken);
  if (proof.nonce !== undefined && token.nonce !== proof.nonce) throw invalidIdToken();
  // A nonce is single use until the token expires: a captured token cannot be replayed.
  if (token.nonce !== null && !(await deps.nonces.useOnce(`oidc-nonce:${proof.provider}:${token.nonce}`, token.expiresAt * 1000))) {
    throw invalidIdToken();
  }
  return { method, key: `oidc:${proof.provider}:${token.subject}`, provider: proof.provider, subject: token.subject, allowCreate: provider.allowCreate };
}
