/** Input rules for the activity triggers (each activity item is checked on its own: activityItemInput). */
import { z } from 'zod';
import { pageQuery } from '../kernel/paging.js';
import { activityItemInput, MAX_BATCH, MAX_DETAILS_BYTES } from './activity.js';

export const historyQuery = pageQuery.extend({
  since: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
});

/** Any JSON: the use cases validate a batch item by item, so one bad item does not sink the rest. */
export const activityBatchBody = z.unknown();

/** A full batch of the largest items, with room for JSON punctuation. */
export const MAX_TRACK_BODY_BYTES = MAX_BATCH * (MAX_DETAILS_BYTES + 512);
/** The direct (Cosmos) path takes smaller batches: it writes before it answers. */
export const MAX_RECORD_BODY_BYTES = 1024 * 1024;

/**
 * The body as documented: one activity or a batch. The triggers read it as activityBatchBody and the
 * use cases check each item with activityItemInput, so one bad item does not sink the rest.
 */
export const activityBatchContract = z.union([activityItemInput, z.array(activityItemInput).min(1).max(MAX_BATCH)]);
