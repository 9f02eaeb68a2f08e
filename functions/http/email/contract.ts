/** What the email routes answer, as the OpenAPI document describes it. */
import { z } from 'zod';
import { FORGOT_PASSWORD_ANSWER } from '../../core/email/flows.js';

export const forgotPasswordAccepted = z
  .object({ message: z.literal(FORGOT_PASSWORD_ANSWER.message) })
  .meta({ id: 'ForgotPasswordAccepted', description: 'The same answer whether or not the address has an account.' });
forgotPasswordAccepted satisfies z.ZodType<typeof FORGOT_PASSWORD_ANSWER>;

export const mailQueued = z
  .object({ message: z.string() })
  .meta({ id: 'MailQueued', description: 'The mail is queued; it arrives after this answer.' });
