/** Input rules of the social routes, shared by every trigger that accepts them. */
import { z } from 'zod';
import { pageQuery } from '../kernel/paging.js';
import { boundedJson } from '../kernel/json-depth.js';
import { PRESENCE_VISIBILITIES, PROFILE_VISIBILITIES, REPORT_ACTIONS, REPORT_CATEGORIES } from './model.js';

export const listQuery = pageQuery.extend({
  /** pending: follow requests waiting for approval (the player's own followers only). */
  status: z.enum(['active', 'pending']).default('active'),
});
export type ListQuery = z.infer<typeof listQuery>;

export const privacyPatch = z
  .strictObject({
    profileVisibility: z.enum(PROFILE_VISIBILITIES).optional(),
    presenceVisibility: z.enum(PRESENCE_VISIBILITIES).optional(),
    followApproval: z.boolean().optional(),
    searchable: z.boolean().optional(),
  })
  .meta({ id: 'PrivacyPatch' });
export type PrivacyPatch = z.infer<typeof privacyPatch>;

/** A preferences document: any JSON object, nesting bounded (its size is checked by the use case). */
export const preferencesDocument = boundedJson(z.record(z.string(), z.unknown(), 'must be a JSON object')).meta({ id: 'Preferences' });

/** Usernames are letters, digits, "_", "." and "-"; a prefix is searched as its lower case. */
export const playerSearchQuery = pageQuery.extend({
  search: z
    .string('is required')
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 characters of letters, digits, "_", "." or "-"'),
});
export type PlayerSearchQuery = z.infer<typeof playerSearchQuery>;

export const reportInput = z.strictObject({
  category: z.enum(REPORT_CATEGORIES),
  details: z.string().max(2000, 'must be at most 2000 characters').optional(),
});
export type ReportInput = z.infer<typeof reportInput>;

export const resolveInput = z.strictObject({
  action: z.enum(REPORT_ACTIONS),
  note: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
  /** For suspend: when it ends (ISO 8601); without it the suspension lasts until an admin lifts it. */
  until: z.iso.datetime({ offset: true }).optional(),
});
export type ResolveInput = z.infer<typeof resolveInput>;

export const reportQueueQuery = pageQuery.extend({ status: z.enum(['open', 'resolved']).default('open') });
