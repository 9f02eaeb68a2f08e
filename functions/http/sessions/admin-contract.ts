/** What the admin session routes answer (the same session view a player sees of their own). */
import { z } from 'zod';
import type { SessionView } from '../../core/sessions/session.js';

const isoDateTime = z.iso.datetime({ offset: true });

export const adminSessionView = z
  .object({
    id: z.string(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime,
    expiresAt: isoDateTime,
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    clientLabel: z.string().nullable(),
    current: z.boolean().meta({ description: 'Always false here: an admin reads another account.' }),
  })
  .meta({ id: 'AdminSessionView' });
adminSessionView satisfies z.ZodType<SessionView>;

export const adminSessionPage = z.object({ items: z.array(adminSessionView), cursor: z.string().nullable() });
export const endedSessions = z.object({ ended: z.number().int().min(0) });
