/**
 * The console's only way to the server: the public API on this origin. Tokens live in this
 * module's variables and nowhere else (no localStorage, sessionStorage or cookies), so a reload
 * signs out and nothing another script could read survives the tab.
 */

export interface User {
  id: string;
  username: string;
  email: string;
  displayName: string;
  roles: string[];
  status: string;
  statusReason?: string | null;
  statusUntil?: string | null;
  createdAt: string;
  [key: string]: unknown;
}

interface Grant {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** A refused call: the API's problem document (detail says why). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | null,
  ) {
    super(detail);
  }
}

let accessToken: string | null = null;
let refreshToken: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let signedIn: User | null = null;
const listeners = new Set<(user: User | null) => void>();

export const currentUser = (): User | null => signedIn;
export function onSessionChange(listener: (user: User | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(grant: Grant | null): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = null;
  accessToken = grant?.accessToken ?? null;
  refreshToken = grant?.refreshToken ?? null;
  signedIn = grant?.user ?? null;
  if (grant) {
    // A minute early (or at 80% for short-lived tokens), so no call ever carries an expired token.
    const lead = Math.min(60, grant.expiresIn * 0.2);
    refreshTimer = setTimeout(() => void refresh(), Math.max(1, grant.expiresIn - lead) * 1000);
  }
  for (const listener of listeners) listener(signedIn);
}

async function problemOf(response: Response): Promise<ApiError> {
  let detail = `${response.status} ${response.statusText}`;
  let code: string | null = null;
  try {
    const body = (await response.json()) as { detail?: string; title?: string; code?: string; errors?: { field: string; message: string }[] };
    detail = body.detail ?? body.title ?? detail;
    // Validation problems name each field: say which, not just "invalid fields".
    if (body.errors?.length) detail += ` (${body.errors.map((e) => `${e.field} ${e.message}`).join('; ')})`;
    code = body.code ?? null;
  } catch {
    // Not a problem document (a bare 500 from the host): the status line is all there is.
  }
  return new ApiError(response.status, detail, code);
}

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const all: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) all['Content-Type'] = 'application/json';
  if (accessToken) all['Authorization'] = `Bearer ${accessToken}`;
  return fetch(`/api/${path}`, {
    method,
    headers: all,
    body: body === undefined ? null : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
}

export interface Answer<T> {
  body: T;
  headers: Headers;
}

/** One API call; a 401 gets one silent refresh and a retry before it counts as signed out. */
export async function call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>> {
  let response = await send(method, path, body, headers);
  if (response.status === 401 && refreshToken && (await refresh())) response = await send(method, path, body, headers);
  if (!response.ok) throw await problemOf(response);
  const text = await response.text();
  return { body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

export const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).body;

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for new tokens (single use: concurrent callers share one trade). */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = refreshToken;
    if (!token) return false;
    const response = await fetch('/api/token/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: token }),
      credentials: 'omit',
    }).catch(() => null);
    if (!response?.ok) {
      setSession(null);
      return false;
    }
    const grant = (await response.json()) as Grant;
    if (!grant.user.roles.includes('admin')) {
      setSession(null);
      return false;
    }
    setSession(grant);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export const NOT_ADMIN = 'This account is not an admin. The console is for admins only; you have been signed out.';

/** POST /api/login; an account without the admin role is signed out again at once. */
export async function logIn(login: string, password: string): Promise<User> {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password, clientLabel: 'admin console' }),
    credentials: 'omit',
  });
  if (!response.ok) throw await problemOf(response);
  const grant = (await response.json()) as Grant;
  if (!grant.user.roles.includes('admin')) {
    await fetch('/api/logout', { method: 'POST', headers: { Authorization: `Bearer ${grant.accessToken}` }, credentials: 'omit' }).catch(() => undefined);
    throw new ApiError(403, NOT_ADMIN, 'FORBIDDEN');
  }
  setSession(grant);
  return grant.user;
}

/** POST /api/logout ends the session on the server; the tokens are forgotten either way. */
export async function logOut(): Promise<void> {
  if (accessToken) await send('POST', 'logout').catch(() => undefined);
  setSession(null);
}

export const enc = encodeURIComponent;
