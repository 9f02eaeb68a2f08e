/** What the session routes answer (see http/accounts/contract.ts for the token grant). */
import { z } from 'zod';
import type { Page } from '../../core/kernel/paging.js';
import type { SessionView } from '../../core/sessions/session.js';
import { isoDateTime, pageOf } from '../../platform/openapi/schemas.js';

export const sessionView = z
  .strictObject({
    id: z.string(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime,
    expiresAt: isoDateTime,
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    clientLabel: z.string().nullable(),
    current: z.boolean().meta({ description: 'The session of the token that asked.' }),
  })
  .meta({ id: 'Session' });
sessionView satisfies z.ZodType<SessionView>;

export const sessionPage = pageOf(sessionView, 'SessionPage');
sessionPage satisfies z.ZodType<Page<SessionView>>;

export const endedSessions = z.strictObject({ ended: z.number().int().meta({ description: 'How many sessions ended.' }) }).meta({ id: 'EndedSessions' });

/** RFC 7517: the public keys; extra JWK members are allowed as the RFC allows them. */
export const jwkSet = z
  .strictObject({
    keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string().optional(), use: z.string().optional(), crv: z.string().optional(), x: z.string().optional() })),
  })
  .meta({ id: 'JwkSet' });
