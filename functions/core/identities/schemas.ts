/** Input rules for device, OpenID Connect and Steam sign-in and linking. */
import { z } from 'zod';
import { clientLabel } from '../accounts/schemas.js';
import { IDENTITY_METHODS } from '../accounts/users.js';

export const DEVICE_ID_MIN_LENGTH = 16;

const deviceId = z
  .string()
  .min(DEVICE_ID_MIN_LENGTH, `must be at least ${DEVICE_ID_MIN_LENGTH} characters`)
  .max(128, 'must be at most 128 characters');

const provider = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a configured provider name');
const idToken = z.string().min(1, 'is required').max(16_384, 'must be at most 16384 characters');
const nonce = z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const ticket = z.string().min(1, 'is required').max(4096, 'must be at most 4096 characters');

export const deviceProof = z.strictObject({ deviceId });
export const oidcProof = z.strictObject({ provider, idToken, nonce: nonce.optional() });
export const steamProof = z.strictObject({ ticket });

export const deviceLoginInput = deviceProof.extend({
  /** With true, an unknown device id makes a new account. */
  create: z.boolean('must be true or false').default(false),
  clientLabel: clientLabel.optional(),
});
export const oidcLoginInput = oidcProof.extend({ clientLabel: clientLabel.optional() });
export const steamLoginInput = steamProof.extend({ clientLabel: clientLabel.optional() });

export type DeviceProof = z.infer<typeof deviceProof>;
export type OidcProof = z.infer<typeof oidcProof>;
export type SteamProof = z.infer<typeof steamProof>;
export type DeviceLoginInput = z.infer<typeof deviceLoginInput>;
export type OidcLoginInput = z.infer<typeof oidcLoginInput>;
export type SteamLoginInput = z.infer<typeof steamLoginInput>;

export const identityMethod = z.enum(IDENTITY_METHODS, `must be one of ${IDENTITY_METHODS.join(', ')}`);

/** The proof each method is linked with, the same as signing in with it. */
export const LINK_PROOFS = { device: deviceProof, oidc: oidcProof, steam: steamProof } as const;
