/** Player helpers for end-to-end tests: unique players, sign-up and login over HTTP. */
import { expect } from 'vitest';
import { call, type Stack } from './stack.js';

export interface Grant {
  user: { id: string; username: string; email: string; roles: string[]; displayName: string };
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

export interface Player {
  username: string;
  email: string;
  password: string;
}

let counter = 0;
export function newPlayer(): Player {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e4)}`;
  return { username: `p_${tag}`, email: `p.${tag}@example.com`, password: 'correct horse battery staple' };
}

export async function signUp(stack: Stack, player: Player = newPlayer()): Promise<Grant & { player: Player }> {
  const res = await call<Grant>(`${stack.api}/signup`, { body: player });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...res.body, player };
}

export async function logIn(stack: Stack, player: Player): Promise<Grant> {
  const res = await call<Grant>(`${stack.api}/login`, { body: { login: player.username, password: player.password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The development game-server client the local stack ships with (README). */
export async function gameServerToken(stack: Stack): Promise<string> {
  const res = await call<{ access_token: string }>(`${stack.api}/token`, {
    body: { grant_type: 'client_credentials', client_id: 'dev-game-server', client_secret: 'dev-game-server-secret' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.access_token;
}

/** A stack started with ADMIN_BOOTSTRAP_TOKEN=token: a new player made its first admin, with a token carrying the role. */
export async function makeAdmin(stack: Stack, token: string): Promise<Grant> {
  const first = await signUp(stack);
  const made = await call(`${stack.api}/admin/bootstrap`, { token: first.accessToken, body: { token } });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  return (await call<Grant>(`${stack.api}/token/refresh`, { body: { refreshToken: first.refreshToken } })).body;
}
