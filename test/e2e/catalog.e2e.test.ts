/** The game catalog over HTTP: anyone reads, admins write with ETags, prices stay exact. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, signUp, type Grant } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

const BOOTSTRAP = 'bootstrap-token-for-the-catalog-tests';
let stack: Stack;
let admin: Grant;

beforeAll(async () => {
  stack = await startStack({ label: 'catalog', env: { ADMIN_BOOTSTRAP_TOKEN: BOOTSTRAP } });
  admin = await makeAdmin(stack, BOOTSTRAP);
});
afterAll(async () => {
  await stack?.stop();
});

describe('catalog', () => {
  it('creates (201, Location, ETag), reads, updates with If-Match and deletes a game', async () => {
    const created = await call(`${stack.api}/games`, {
      token: admin.accessToken,
      body: { title: 'Starfall Tactics', genre: 'Strategy', price: { amount: 1.15, currency: 'EUR' }, description: 'Turn-based.' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const gameId = created.body['gameId'] as string;
    expect(created.headers.get('location')).toBe(`/api/games/${gameId}`);
    expect(created.body['price']).toEqual({ amount: '1.15', currency: 'EUR', minorUnits: 115 });

    const read = await call(`${stack.api}/games/${gameId}`);
    expect(read.status).toBe(200);
    const etag = read.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);

    const body = { title: 'Starfall Tactics', genre: 'Strategy', price: { amount: '19.99', currency: 'EUR' } };
    expect((await call(`${stack.api}/games/${gameId}`, { method: 'PUT', token: admin.accessToken, body })).status).toBe(428);
    const updated = await call(`${stack.api}/games/${gameId}`, { method: 'PUT', token: admin.accessToken, body, headers: { 'if-match': etag } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body['price']).toMatchObject({ amount: '19.99', minorUnits: 1999 });
    const stale = await call(`${stack.api}/games/${gameId}`, { method: 'PUT', token: admin.accessToken, body, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);

    const listed = await call<{ items: { gameId: string }[] }>(`${stack.api}/games?genre=strategy&search=starfall`);
    expect(listed.body.items.map((g) => g.gameId)).toContain(gameId);
    const none = await call<{ items: unknown[] }>(`${stack.api}/games?genre=racing&search=starfall`);
    expect(none.body.items).toEqual([]);

    expect((await call(`${stack.api}/games/${gameId}`, { method: 'DELETE', token: admin.accessToken })).status).toBe(204);
    expect((await call(`${stack.api}/games/${gameId}`)).status).toBe(404);
  });

  it('refuses players, negative prices and unknown fields with problems naming the field', async () => {
    const player = await signUp(stack);
    const game = { title: 'X', genre: 'Y', price: { amount: '1.00', currency: 'EUR' } };
    expect((await call(`${stack.api}/games`, { token: player.accessToken, body: game })).status).toBe(403);
    expect((await call(`${stack.api}/games`, { body: game })).status).toBe(401);
    const negative = await call<{ errors: { field: string }[] }>(`${stack.api}/games`, {
      token: admin.accessToken,
      body: { ...game, price: { amount: '-1.00', currency: 'EUR' } },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((e) => e.field)).toContain('price.amount');
    const extra = await call(`${stack.api}/games`, { token: admin.accessToken, body: { ...game, rating: 5 } });
    expect(extra.status).toBe(400);
    expect((await call(`${stack.api}/games?limit=0`)).status).toBe(400);
  });
});
