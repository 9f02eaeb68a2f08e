/** End-to-end helpers: the local stack (infra/local/spawn-stack.ts) and JSON calls to it. */
import { startStack as spawnStack, type Stack } from '../../infra/local/spawn-stack.js';

export { PROJECT_ROOT as ROOT, type Stack } from '../../infra/local/spawn-stack.js';

/**
 * The stack with the minimum bcrypt cost, so a suite of sign-ups stays quick (production: 12), and
 * per-IP limits out of the way: every test request comes from 127.0.0.1. Tests of a limit set it.
 */
export function startStack(options: { env?: Record<string, string>; label?: string; args?: string[] } = {}): Promise<Stack> {
  return spawnStack({
    ...options,
    env: {
      BCRYPT_COST: '10',
      SIGNUP_IP_LIMIT: '100000/60',
      LOGIN_IP_LIMIT: '100000/60',
      REFRESH_IP_LIMIT: '100000/60',
      SERVICE_TOKEN_IP_LIMIT: '100000/60',
      ...options.env,
    },
  });
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with a JSON body and a parsed JSON answer. */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined || init.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}
