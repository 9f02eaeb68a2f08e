/** Input rules for the account use cases, shared by every trigger that accepts them. */
import { z } from 'zod';

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

const clientLabel = z.string().max(64, 'must be at most 64 characters');

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
