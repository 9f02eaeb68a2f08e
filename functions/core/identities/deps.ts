/** What the identity use cases need: everything an account login needs, plus the proofs' checkers. */
import type { AccountDeps } from '../accounts/deps.js';
import type { DeviceIdHasher, NonceRegistry, OidcVerifier, SteamTickets } from './ports.js';

export interface IdentityDeps extends AccountDeps {
  deviceIds: DeviceIdHasher;
  oidc: OidcVerifier;
  steam: SteamTickets;
  nonces: NonceRegistry;
}
