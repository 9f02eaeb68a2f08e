/** What the identity routes answer, as the OpenAPI document describes it. */
import { z } from 'zod';
import { IDENTITY_METHODS } from '../../core/accounts/users.js';
import type { IdentityList, IdentityView } from '../../core/identities/linking.js';

export const identityView = z
  .object({
    id: z.string().meta({ description: 'Names the link in DELETE /api/me/identities/{id}.' }),
    method: z.enum(IDENTITY_METHODS),
    provider: z.string().nullable().meta({ description: 'The OpenID Connect provider name; null for device and Steam.' }),
    subject: z.string().nullable().meta({ description: "The provider's subject or the SteamID64; null for a device (only its keyed hash is kept)." }),
    linkedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'LinkedIdentity' });
identityView satisfies z.ZodType<IdentityView>;

export const identityList = z
  .object({
    items: z.array(identityView),
    hasPassword: z.boolean().meta({ description: 'Whether the account can also sign in with a password.' }),
  })
  .meta({ id: 'LinkedIdentities' });
identityList satisfies z.ZodType<IdentityList>;
