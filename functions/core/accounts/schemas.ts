/** Input rules for the account use cases, shared by every trigger that accepts them. */
import { z } from 'zod';
import { pageQuery } from '../kernel/paging.js';
import { ACCOUNT_STATUSES } from './users.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN_BYTES = 12;
/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

export const username = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 3-32 characters of letters, digits, "_", "." or "-"');

export const email = z
  .string()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const password = z.string().superRefine((value, ctx) => {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < PASSWORD_MIN_BYTES) {
    ctx.addIssue({ code: 'custom', message: `must be at least ${PASSWORD_MIN_BYTES} bytes in UTF-8` });
  } else if (bytes > PASSWORD_MAX_BYTES) {
    ctx.addIssue({
      code: 'custom',
      message: `must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (it is ${bytes}); bcrypt ignores anything longer, so it is refused rather than truncated`,
    });
  }
});

/** Control characters and lone surrogates render as nothing, break layouts and logs, or fail to encode. */
const printable = (v: string) => !/[\p{Cc}\p{Cs}]/u.test(v);

export const clientLabel = z.string().max(64, 'must be at most 64 characters').refine(printable, 'must not contain control characters');

export const signUpInput = z.strictObject({
  username,
  email,
  password,
  clientLabel: clientLabel.optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const logInInput = z.strictObject({
  login: z.string().min(1, 'is required').max(254, 'must be at most 254 characters'),
  // Checked for length only: a wrong password must get the same answer as an unknown user.
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
  clientLabel: clientLabel.optional(),
});
export type LogInInput = z.infer<typeof logInInput>;

export const refreshInput = z.strictObject({
  refreshToken: z.string().min(1, 'is required').max(200, 'is not a refresh token'),
});

export const changePasswordInput = z.strictObject({
  /** Left out only by an account that has no password yet. */
  currentPassword: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters').optional(),
  newPassword: password,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const deleteAccountInput = z
  .strictObject({ password: z.string().max(1024, 'must be at most 1024 characters').optional() })
  .optional();

const displayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .refine(printable, 'must not contain control characters');

const avatarUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https:// URL')
  .nullable();

export const profileChanges = z
  .strictObject({ displayName: displayName.optional(), avatarUrl: avatarUrl.optional(), email: email.optional() })
  .refine((c) => Object.keys(c).length > 0, 'must change at least one of displayName, avatarUrl, email');
export type ProfileChanges = z.infer<typeof profileChanges>;

/** POST /api/update-profile: the same changes, naming the user (a game server must; a player may). */
export const updateProfileInput = z
  .strictObject({
    userId: z.string().min(1).max(64).optional(),
    displayName: displayName.optional(),
    avatarUrl: avatarUrl.optional(),
    email: email.optional(),
  })
  .refine(({ userId: _userId, ...changes }) => Object.keys(changes).length > 0, 'must change at least one of displayName, avatarUrl, email');
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;

/** PUT /api/users/{id} (compatibility): any of username, email, password; the owner adds currentPassword. */
export const accountUpdateInput = z
  .strictObject({
    username: username.optional(),
    email: email.optional(),
    password: password.optional(),
    currentPassword: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters').optional(),
  })
  .refine((c) => c.username !== undefined || c.email !== undefined || c.password !== undefined, 'must change at least one of username, email, password');
export type AccountUpdateInput = z.infer<typeof accountUpdateInput>;

/** POST /api/users/login (compatibility): an email instead of a login. */
export const emailLogInInput = z.strictObject({
  email: z.string().min(1, 'is required').max(254, 'must be at most 254 characters'),
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
});

/** POST /api/users/logout (compatibility): the access token in the body. */
export const tokenLogoutInput = z.strictObject({
  token: z.string().min(1, 'is required').max(4096, 'is not an access token'),
});

export const accountStatusInput = z
  .strictObject({
    status: z.enum(ACCOUNT_STATUSES, `must be one of ${ACCOUNT_STATUSES.join(', ')}`),
    reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
    until: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.status !== 'active' && input.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `is required to make an account ${input.status}` });
    }
    if (input.until !== undefined && input.status !== 'suspended') {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'applies only to status "suspended"' });
    }
    if (input.until !== undefined && Date.parse(input.until) <= Date.now()) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be in the future' });
    }
  });
export type AccountStatusInput = z.infer<typeof accountStatusInput>;

export const rolesInput = z.strictObject({ admin: z.boolean('must be true or false') });

export const bootstrapAdminInput = z.strictObject({ token: z.string().min(1, 'is required').max(512) });

/** RFC 6749 client credentials, as a JSON body. */
export const serviceTokenInput = z.strictObject({
  grant_type: z.literal('client_credentials', 'must be "client_credentials"'),
  client_id: z.string().min(1, 'is required').max(128),
  client_secret: z.string().min(1, 'is required').max(512),
});

/** ?limit=&cursor= on every list. */
export const userSearchQuery = pageQuery.extend({
  search: z.string().max(254, 'must be at most 254 characters').default(''),
});
