/**
 * What the compatibility routes answer: the shapes clients written against other user services
 * expect, as the OpenAPI document describes them. Errors stay problem documents.
 */
import { z } from 'zod';
import { tokenGrant } from '../accounts/contract.js';

export const registered = z
  .object({ message: z.literal('User registered successfully'), username: z.string() })
  .meta({ id: 'CompatRegistered' });

export const compatLogin = tokenGrant
  .extend({
    message: z.literal('Login successful'),
    token: z.string().meta({ description: 'The access token again (the same value as accessToken).' }),
  })
  .meta({ id: 'CompatLogin' });

export const loggedOut = z.object({ message: z.literal('Logout successful') }).meta({ id: 'CompatLogout' });

export const serviceStatus = z
  .object({
    service: z.string(),
    status: z.enum(['OK', 'ERROR']),
    timestamp: z.iso.datetime({ offset: true }),
    details: z.string().optional().meta({ description: 'On ERROR only: which checks failed, never why.' }),
  })
  .meta({ id: 'CompatStatus' });
