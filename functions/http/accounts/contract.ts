/**
 * What the account routes answer, as the OpenAPI document describes it and the e2e tests check
 * responses against. The `satisfies` lines keep these in step with the core's view types.
 */
import { z } from 'zod';
import type { ServiceTokenGrant } from '../../core/accounts/service-clients.js';
import type { AdminUserView, PublicUserView, UserView } from '../../core/accounts/users.js';
import { ACCOUNT_STATUSES } from '../../core/accounts/users.js';
import { ROLES } from '../../core/kernel/caller.js';
import type { Page } from '../../core/kernel/paging.js';
import type { TokenGrant } from '../../core/sessions/sessions.js';
import { isoDateTime, pageOf } from '../../platform/openapi/schemas.js';

const userFields = {
  id: z.string(),
  username: z.string(),
  email: z.string().nullable().meta({ description: 'Null for an account made by a device or provider sign-in, until its owner adds one.' }),
  emailVerified: z.boolean().meta({ description: 'Whether the address was confirmed from a mailed link.' }),
  pendingEmail: z.string().nullable().meta({ description: 'An address waiting for its confirmation link; it replaces email once confirmed.' }),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  status: z.enum(ACCOUNT_STATUSES),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
};

export const userView = z
  .strictObject(userFields)
  .meta({ id: 'User', description: 'The account as its owner and admins see it (never the password hash).' });
userView satisfies z.ZodType<UserView>;

export const adminUserView = z
  .strictObject({ ...userFields, statusReason: z.string().nullable(), statusUntil: isoDateTime.nullable() })
  .meta({ id: 'AdminUser', description: 'What admins see: the account and why it is in its state.' });
adminUserView satisfies z.ZodType<AdminUserView>;

export const publicUserView = z
  .strictObject({ id: z.string(), username: z.string(), displayName: z.string(), avatarUrl: z.string().nullable(), createdAt: isoDateTime })
  .meta({ id: 'PublicUser', description: 'What any authenticated caller sees of another player.' });
publicUserView satisfies z.ZodType<PublicUserView>;

/** GET /api/users/{id}: the view depends on who asks. */

export const adminUserPage = pageOf(adminUserView, 'AdminUserPage');
adminUserPage satisfies z.ZodType<Page<AdminUserView>>;

export const tokenGrant = z
  .strictObject({
    user: userView,
    sessionId: z.string(),
    accessToken: z.string().meta({ description: 'An EdDSA JWT (typ at+jwt) for "Authorization: Bearer".' }),
    refreshToken: z.string().meta({ description: 'Single use: every refresh returns a new one.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().meta({ description: 'Seconds until the access token expires.' }),
  })
  .meta({ id: 'TokenGrant' });
tokenGrant satisfies z.ZodType<TokenGrant>;

export const serviceTokenGrant = z
  .strictObject({
    access_token: z.string().meta({ description: 'An EdDSA JWT with the role "game-server".' }),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
  })
  .meta({ id: 'ServiceTokenGrant', description: 'RFC 6749 client-credentials answer.' });
serviceTokenGrant satisfies z.ZodType<ServiceTokenGrant>;
