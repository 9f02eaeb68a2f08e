/** What sign-in with a device, an OpenID Connect provider or Steam needs from the outside. */

/** Keyed hash of a device id: the id itself is a bearer secret and never stored. */
export interface DeviceIdHasher {
  hash(deviceId: string): Promise<string>;
}

/** The claims of an ID token whose signature, issuer, audience, algorithm and expiry checked out. */
export interface VerifiedIdToken {
  subject: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  nonce: string | null;
  email: string | null;
}

export interface OidcVerifier {
  /** The configured providers by name, and whether an unknown subject may make a new account. */
  providers(): ReadonlyMap<string, { allowCreate: boolean }>;
  /** Throws INVALID_CREDENTIALS for a token that does not verify, UPSTREAM_FAILED when the keys cannot be read. */
  verify(provider: string, idToken: string): Promise<VerifiedIdToken>;
}

export interface SteamTickets {
  /** The SteamID64 a session ticket was made for; INVALID_CREDENTIALS for a bad one, NOT_CONFIGURED without a key. */
  authenticate(ticket: string): Promise<{ steamId: string }>;
}

/** One-time values (ID-token nonces): the first use until `expiresAtMs` wins, every later one loses. */
export interface NonceRegistry {
  useOnce(key: string, expiresAtMs: number): Promise<boolean>;
}
