/** Input rules for the presence triggers. */
import { z } from 'zod';
import { PRESENCE_STATUSES } from '../events/events.js';

/** Offline is not set: it comes from logout or silence. */
export const SETTABLE_STATUSES = PRESENCE_STATUSES.filter((s) => s !== 'offline');

export const setStatusInput = z.strictObject({
  status: z.enum(SETTABLE_STATUSES as [Exclude<(typeof PRESENCE_STATUSES)[number], 'offline'>], `must be one of ${SETTABLE_STATUSES.join(', ')}`),
});

export const statusQuery = z.strictObject({ userId: z.string().min(1).max(64).optional() });
