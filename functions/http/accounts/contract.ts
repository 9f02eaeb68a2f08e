/**
 * What the account routes answer, as the OpenAPI document describes it and the e2e tests check
 * responses against. The `satisfies` lines keep these in step with the core's view types.
 */
import { z } from 'zod';
import type { UserView } from '../../core/accounts/users.js';
import { ACCOUNT_STATUSES } from '../../core/accounts/users.js';
import { ROLES } from '../../core/kernel/caller.js';
import type { TokenGrant } from '../../core/sessions/sessions.js';

const isoDateTime = z.iso.datetime({ offset: true });

export const userView = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    emailVerified: z.boolean().meta({ description: 'Whether the address was confirmed from a mailed link.' }),
    pendingEmail: z.string().nullable().meta({ description: 'An address waiting for its confirmation link; it replaces email once confirmed.' }),
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
    roles: z.array(z.enum(ROLES)),
    status: z.enum(ACCOUNT_STATUSES),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'User', description: "The account as its owner and admins see it (never the password hash)." });
userView satisfies z.ZodType<UserView>;

export const tokenGrant = z
  .object({
    user: userView,
    sessionId: z.string(),
    accessToken: z.string().meta({ description: 'An EdDSA JWT (typ at+jwt) for "Authorization: Bearer".' }),
    refreshToken: z.string().meta({ description: 'Single use: every refresh returns a new one.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires.' }),
  })
  .meta({ id: 'TokenGrant' });
tokenGrant satisfies z.ZodType<TokenGrant>;
