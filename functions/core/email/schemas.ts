/** Input rules of the email routes. */
import { z } from 'zod';
import { email, password } from '../accounts/schemas.js';

// Checked for shape in the use case, so a wrong-looking token gets the same answer as a used one.
const token = z.string().min(1, 'is required').max(200, 'is not a link token');

export const tokenInput = z.strictObject({ token });
export const forgotPasswordInput = z.strictObject({ email });
export const resetPasswordInput = z.strictObject({ token, newPassword: password });

export type TokenInput = z.infer<typeof tokenInput>;
export type ForgotPasswordInput = z.infer<typeof forgotPasswordInput>;
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;
