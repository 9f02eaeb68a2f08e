/**
 * A module hook for app-import.ts: appends every module URL the ESM loader resolves to a file, so
 * the parent can tell which packages an import pulled in. It writes synchronously, before the
 * module loads, so the list is complete by the time the import settles.
 */
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data: { file: string }): void {
  file = data.file;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => Promise<{ url: string }>,
): Promise<{ url: string }> {
  const result = await nextResolve(specifier, context);
  if (result.url.includes('/node_modules/')) appendFileSync(file, `${result.url}\n`);
  return result;
}
