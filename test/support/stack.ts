/** End-to-end helpers: the local stack (infra/local/spawn-stack.ts) and JSON calls to it. */
import { startStack as spawnStack, type Stack } from '../../infra/local/spawn-stack.js';
import { checkerFor } from './contract.js';

export { PROJECT_ROOT as ROOT, type Stack } from '../../infra/local/spawn-stack.js';

/**
 * The stack with the minimum bcrypt cost, so a suite of sign-ups stays quick (production: 12), and
 * per-IP limits out of the way: every test request comes from 127.0.0.1. Tests of a limit set it.
 */
export async function startStack(options: { env?: Record<string, string>; label?: string; args?: string[] } = {}): Promise<Stack> {
  const stack = await spawnStack({
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
  STACK_APIS.add(stack.api);
  return stack;
}

/** The API bases of the stacks this process started: call() checks their answers against the contract. */
const STACK_APIS = new Set<string>();

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
  const method = init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET');
  const response = await fetch(url, {
    method,
    headers,
    body: init.raw ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : null) as T;
  const api = [...STACK_APIS].find((base) => url.startsWith(`${base}/`));
  if (api) {
    const found = (await checkerFor(api)).problems(method, new URL(url).pathname, response.status, response.headers.get('content-type'), body);
    if (found.length > 0) throw new Error(`The answer breaks the API contract (/api/openapi.json):\n${found.join('\n')}\nbody: ${text.slice(0, 500)}`);
  }
  return { status: response.status, headers: response.headers, body };
}
