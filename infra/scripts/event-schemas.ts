/**
 * Writes a JSON Schema per user event type to schemas/events/, derived from the zod schemas the
 * app itself validates with (functions/core/events/events.ts): one source for code and consumers.
 * `npm run events:schemas`; a test fails when the committed files fall behind the code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EVENT_DATA_SCHEMAS, EVENT_TYPES, type EventType } from '../../functions/core/events/events.js';
import { PROJECT_ROOT } from '../../functions/platform/version.js';

export const SCHEMA_DIR = join(PROJECT_ROOT, 'schemas/events');

export function eventJsonSchema(type: EventType): Record<string, unknown> {
  return {
    $id: `urn:player-accounts:event:${type}`,
    title: type,
    description: `Body of a "${type}" message on the user-events topic (subject and application property eventType are "${type}"; messageId is the event id).`,
    ...z.toJSONSchema(EVENT_DATA_SCHEMAS[type]),
  };
}

export function renderedSchemas(): Record<string, string> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [`${type}.schema.json`, `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`]));
}

// Run as a script (not imported by a test): write the files.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, text] of Object.entries(renderedSchemas())) writeFileSync(join(SCHEMA_DIR, file), text);
  console.log(`wrote ${EVENT_TYPES.length} schemas to ${SCHEMA_DIR}`);
}
