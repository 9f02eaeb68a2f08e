/**
 * Writes schemas/graphql/schema.graphql from the schema the app serves (functions/http/graphql/).
 * `npm run graphql:schema`; a test fails when the committed file falls behind the code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { printedSchema } from '../../functions/http/graphql/schema.js';
import { PROJECT_ROOT } from '../../functions/platform/version.js';

export const GRAPHQL_SCHEMA_FILE = join(PROJECT_ROOT, 'schemas/graphql/schema.graphql');

mkdirSync(dirname(GRAPHQL_SCHEMA_FILE), { recursive: true });
writeFileSync(GRAPHQL_SCHEMA_FILE, printedSchema());
console.log(`wrote ${GRAPHQL_SCHEMA_FILE}`);
