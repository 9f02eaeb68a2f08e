/** What the activity routes answer. */
import { z } from 'zod';
import type { RecordedActivity, TrackResult } from '../../core/activity/activity.js';
import type { Activity } from '../../core/activity/ports.js';
import type { UserStats } from '../../core/activity/stats.js';
import type { Page } from '../../core/kernel/paging.js';
import { fieldError, isoDateTime, pageOf } from '../../platform/openapi/schemas.js';

const activityFields = {
  id: z.string(),
  userId: z.string(),
  activity: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
  timestamp: isoDateTime,
  receivedAt: isoDateTime,
};

export const activityView = z.strictObject(activityFields).meta({ id: 'Activity' });
activityView satisfies z.ZodType<Activity>;

export const activityPage = pageOf(activityView, 'ActivityPage');
activityPage satisfies z.ZodType<Page<Activity>>;

export const recordedActivities = z
  .strictObject({
    items: z.array(
      z.strictObject({ ...activityFields, created: z.boolean().meta({ description: 'false: an activity with this id was already stored.' }) }).meta({ id: 'RecordedActivity' }),
    ),
  })
  .meta({ id: 'RecordedActivities' });
recordedActivities satisfies z.ZodType<{ items: RecordedActivity[] }>;

export const trackResult = z
  .strictObject({
    accepted: z.number().int(),
    rejected: z.array(z.strictObject({ index: z.number().int(), errors: z.array(fieldError) })).meta({ description: 'The items refused, by their index in the batch.' }),
  })
  .meta({ id: 'TrackResult' });
trackResult satisfies z.ZodType<TrackResult>;

export const userStats = z
  .strictObject({
    userId: z.string(),
    total: z.number().int(),
    counts: z.record(z.string(), z.number().int()),
    lastActivity: z.strictObject({ id: z.string(), activity: z.string(), timestamp: isoDateTime }).nullable(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'UserStats' });
userStats satisfies z.ZodType<Omit<UserStats, 'watermark'>>;
