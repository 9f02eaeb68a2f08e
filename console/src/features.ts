/**
 * Which API operations this deployment serves, read from GET /api/openapi.json, so a section shows
 * only when its routes exist and the console grows with the API. Before that document is served,
 * the routes every deployment of this app has are assumed.
 */

export type Operation = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /api/${string}`;

/** The admin routes of the first release, present whether or not the document is served. */
const BASELINE: Operation[] = [
  'GET /api/users',
  'GET /api/users/{id}',
  'PATCH /api/users/{id}',
  'DELETE /api/users/{id}',
  'PUT /api/admin/users/{id}/account-status',
  'PUT /api/admin/users/{id}/roles',
  'GET /api/admin/users/{id}/sessions',
  'DELETE /api/admin/users/{id}/sessions/{sessionId}',
  'DELETE /api/admin/users/{id}/sessions',
  'GET /api/users/{id}/events',
  'GET /api/users/{id}/activity',
  'GET /api/users/{id}/stats',
  'GET /api/active-users',
  'GET /api/user-status',
];

export class Features {
  constructor(
    private readonly operations: ReadonlySet<string>,
    /** Whether the list came from the served document (false: the baseline). */
    readonly fromDocument: boolean,
  ) {}

  /** Every operation named is served; path parameters may be named differently in the document. */
  has(...wanted: Operation[]): boolean {
    return wanted.every((op) => this.operations.has(normalise(op)));
  }
}

/** `{userId}` and `{id}` are the same route: compare templates with parameters blanked. */
const normalise = (op: string) => op.replace(/\{[^}]+\}/g, '{}');

export async function loadFeatures(): Promise<Features> {
  try {
    const response = await fetch('/api/openapi.json', { credentials: 'omit' });
    if (response.ok) {
      const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
      const operations = new Set<string>();
      for (const [path, item] of Object.entries(document.paths ?? {})) {
        for (const method of Object.keys(item)) operations.add(normalise(`${method.toUpperCase()} ${path}`));
      }
      if (operations.size > 0) return new Features(operations, true);
    }
  } catch {
    // Unreachable or not JSON: fall back to the baseline below.
  }
  return new Features(new Set(BASELINE.map(normalise)), false);
}
