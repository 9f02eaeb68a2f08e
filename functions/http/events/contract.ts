/** What the event-history route answers: the audit trail, each entry's data as its event type defines it. */
import { z } from 'zod';
import type { AuditEntry } from '../../core/events/audit.js';
import { EVENT_DATA_SCHEMAS, EVENT_TYPES } from '../../core/events/events.js';
import type { Page } from '../../core/kernel/paging.js';
import { isoDateTime, pageOf } from '../../platform/openapi/schemas.js';

/** Every event type's data schema: a new event type joins the contract by joining EVENT_DATA_SCHEMAS. */
const EVENT_DATA = Object.values(EVENT_DATA_SCHEMAS) as unknown as [z.ZodType, ...z.ZodType[]];

export const auditEntry = z
  .strictObject({
    id: z.string(),
    userId: z.string(),
    type: z.enum(EVENT_TYPES as [AuditEntry['type']]),
    data: (z.union(EVENT_DATA) as unknown as z.ZodType<AuditEntry['data']>).meta({ description: 'The event data as published (schemas/events).' }),
    timestamp: isoDateTime.meta({ description: 'When it happened.' }),
    recordedAt: isoDateTime,
    sortKey: z.string(),
  })
  .meta({ id: 'AuditEntry' });
auditEntry satisfies z.ZodType<AuditEntry>;

export const auditPage = pageOf(auditEntry, 'AuditEntryPage');
auditPage satisfies z.ZodType<Page<AuditEntry>>;
