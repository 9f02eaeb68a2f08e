/** What the presence routes answer. */
import { z } from 'zod';
import { PRESENCE_STATUSES } from '../../core/events/events.js';
import type { Page } from '../../core/kernel/paging.js';
import type { OnlineUser, PresenceView } from '../../core/presence/presence.js';
import { isoDateTime, pageOf } from '../../platform/openapi/schemas.js';

export const presenceView = z
  .strictObject({
    userId: z.string(),
    status: z.enum(PRESENCE_STATUSES),
    lastSeenAt: isoDateTime.nullable(),
    activity: z.strictObject({ name: z.string(), at: isoDateTime }).optional().meta({ description: 'The last activity a game server reported.' }),
  })
  .meta({ id: 'Presence' });
presenceView satisfies z.ZodType<PresenceView>;

export const onlineUser = z
  .strictObject({ userId: z.string(), username: z.string().nullable(), status: z.enum(PRESENCE_STATUSES), lastSeenAt: isoDateTime })
  .meta({ id: 'OnlineUser' });
onlineUser satisfies z.ZodType<OnlineUser>;

export const onlineUserPage = pageOf(onlineUser, 'OnlineUserPage');
onlineUserPage satisfies z.ZodType<Page<OnlineUser>>;
