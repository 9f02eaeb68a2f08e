/**
 * What the social routes answer, as the OpenAPI document describes it and the e2e tests check
 * responses against. The `satisfies` lines keep these in step with the core's types.
 */
import { adminUserView, userView } from '../accounts/contract.js';
import { z } from 'zod';
import { PRESENCE_STATUSES } from '../../core/events/events.js';
import type { FollowView } from '../../core/social/follows.js';
import { PRESENCE_VISIBILITIES, PROFILE_VISIBILITIES, REPORT_ACTIONS, REPORT_CATEGORIES, type Privacy, type Report } from '../../core/social/model.js';
import type { FiledReport } from '../../core/social/reports.js';
import type { ListItem, RestrictedUserView } from '../../core/social/views.js';

const isoDateTime = z.iso.datetime({ offset: true });

const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), cursor: z.string().nullable().meta({ description: 'Pass back as ?cursor= for the next page; null on the last.' }) }).meta({ id });

export const followView = z
  .object({ userId: z.string(), state: z.enum(['active', 'pending', 'none']).meta({ description: 'pending: waiting for the player to accept.' }) })
  .meta({ id: 'Follow' });
followView satisfies z.ZodType<FollowView>;

export const listItem = z
  .object({
    userId: z.string(),
    username: z.string(),
    since: isoDateTime.meta({ description: 'When the follow (or block) was made.' }),
    presence: z
      .object({ status: z.enum(PRESENCE_STATUSES), lastSeenAt: isoDateTime.nullable() })
      .optional()
      .meta({ description: "Only where the listed player's privacy lets the caller see it." }),
  })
  .meta({ id: 'SocialListItem' });
listItem satisfies z.ZodType<ListItem>;
export const listPage = page(listItem, 'SocialListPage');

export const blockView = z.object({ userId: z.string(), blocked: z.literal(true) }).meta({ id: 'Block' });

export const publicProfile = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
    createdAt: isoDateTime,
    followers: z.number().int(),
    following: z.number().int(),
  })
  .meta({ id: 'PublicProfile', description: 'Another player as the caller may see them, with follower counts.' });

export const restrictedProfile = z
  .object({ id: z.string(), username: z.string(), restricted: z.literal(true) })
  .meta({ id: 'RestrictedProfile', description: "The public minimum: the player's privacy (or a block) hides the rest." });
restrictedProfile satisfies z.ZodType<RestrictedUserView>;

export const privacyView = z
  .object({
    profileVisibility: z.enum(PROFILE_VISIBILITIES),
    presenceVisibility: z.enum(PRESENCE_VISIBILITIES),
    followApproval: z.boolean(),
    searchable: z.boolean(),
  })
  .meta({ id: 'Privacy' });
privacyView satisfies z.ZodType<Privacy>;

export const preferencesView = z.record(z.string(), z.unknown()).meta({ id: 'PreferencesDocument', description: 'Any JSON object, at most 16 KiB.' });

export const playerPage = page(z.object({ id: z.string(), username: z.string() }).meta({ id: 'PlayerRef' }), 'PlayerSearchPage');

export const filedReport = z
  .object({ id: z.string(), targetUserId: z.string(), category: z.enum(REPORT_CATEGORIES), status: z.enum(['open', 'resolved']), createdAt: isoDateTime })
  .meta({ id: 'FiledReport' });
filedReport satisfies z.ZodType<FiledReport>;

export const reportView = z
  .object({
    id: z.string(),
    reporterId: z.string(),
    reporterUsername: z.string(),
    targetId: z.string(),
    targetUsername: z.string(),
    category: z.enum(REPORT_CATEGORIES),
    details: z.string().nullable(),
    status: z.enum(['open', 'resolved']),
    createdAt: isoDateTime,
    sortKey: z.string(),
    resolution: z.object({ action: z.enum(REPORT_ACTIONS), note: z.string(), adminId: z.string(), at: isoDateTime }).nullable(),
  })
  .meta({ id: 'Report' });
reportView satisfies z.ZodType<Report>;
export const reportPage = page(reportView, 'ReportPage');

export const resolvedReport = z
  .object({ report: reportView, account: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The account after a suspend or ban (the admin view).' }) })
  .meta({ id: 'ResolvedReport' });

export const reindexBatch = z.object({ indexed: z.number().int(), cursor: z.string().nullable() }).meta({ id: 'ReindexBatch' });

const counts = { followers: z.number().int(), following: z.number().int() };

/** GET /api/users/{id}: what each caller sees (social/profiles.ts viewProfile). */
export const profileView = z.union([
  publicProfile,
  restrictedProfile,
  userView.extend(counts).meta({ id: 'UserWithCounts' }),
  adminUserView.extend(counts).meta({ id: 'AdminUserWithCounts' }),
]);
