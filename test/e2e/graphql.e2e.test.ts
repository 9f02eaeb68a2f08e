/** GraphQL through the local stack: the same data and the same refusals as the REST routes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gameServerToken, signUp, type Grant, type Player } from '../support/players.js';
import { call, startStack, type Stack } from '../support/stack.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; fields?: unknown } }[];
}

let stack: Stack;
let player: Grant & { player: Player };

async function gql(query: string, token?: string, variables?: Record<string, unknown>) {
  return call<Answer>(`${stack.api}/graphql`, { body: { query, ...(variables ? { variables } : {}) }, ...(token ? { token } : {}) });
}

beforeAll(async () => {
  stack = await startStack({ label: 'graphql' });
  player = await signUp(stack);
});
afterAll(async () => {
  await stack?.stop();
});

describe('POST /api/graphql', () => {
  it('{ me { id username email } } returns what GET /api/me returns', async () => {
    const rest = await call<{ id: string; username: string; email: string }>(`${stack.api}/me`, { token: player.accessToken });
    expect(rest.status).toBe(200);
    const res = await gql('{ me { id username email } }', player.accessToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { me: { id: rest.body.id, username: rest.body.username, email: rest.body.email } } });
    expect(rest.body.username).toBe(player.player.username);
  });

  it('without a token: 200, me null, extensions.code UNAUTHENTICATED', async () => {
    const res = await gql('{ me { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ me: null });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('a player asking for activeUsers gets FORBIDDEN, as on GET /api/active-users; a game server gets the page', async () => {
    const rest = await call(`${stack.api}/active-users`, { token: player.accessToken });
    expect(rest.status).toBe(403);
    const res = await gql('{ activeUsers(limit: 5) { items { userId status } cursor } }', player.accessToken);
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['activeUsers'], 'FORBIDDEN']]);
    const server = await gql('{ activeUsers(limit: 100) { items { userId status } } }', await gameServerToken(stack));
    expect(server.body.errors).toBeUndefined();
    const items = (server.body.data?.activeUsers as { items: { userId: string }[] }).items;
    expect(items.map((i) => i.userId)).toContain(player.user.id);
  });

  it('a query nested deeper than 6 levels is refused before it runs', async () => {
    const res = await gql('{ me { id a: id b { c { d { e { f { g } } } } } } }', player.accessToken);
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toContainEqual(expect.objectContaining({ message: 'The query nests 7 levels deep; at most 6 are allowed.', extensions: { code: 'VALIDATION_FAILED' } }));
  });

  it('mutations run the same use cases: setStatus, updateProfile, and validation names the field', async () => {
    const status = await gql('mutation { setStatus(status: "away") { userId status } }', player.accessToken);
    expect(status.body).toEqual({ data: { setStatus: { userId: player.user.id, status: 'away' } } });
    const seen = await call<{ status: string }>(`${stack.api}/user-status`, { token: player.accessToken });
    expect(seen.body.status).toBe('away');

    const changed = await gql('mutation($name: String) { updateProfile(displayName: $name) { displayName } }', player.accessToken, { name: 'Graph Q' });
    expect(changed.body).toEqual({ data: { updateProfile: { displayName: 'Graph Q' } } });
    expect((await call<{ displayName: string }>(`${stack.api}/me`, { token: player.accessToken })).body.displayName).toBe('Graph Q');

    const bad = await gql('mutation { setStatus(status: "offline") { status } }', player.accessToken);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'status' }] });
  });

  it('a malformed request is a 400 problem; GET runs queries', async () => {
    const res = await call(`${stack.api}/graphql`, { body: { variables: {} } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const get = await call<Answer>(`${stack.api}/graphql?query=${encodeURIComponent('{ me { username } }')}`, { token: player.accessToken });
    expect(get.body).toEqual({ data: { me: { username: player.user.username } } });
    const mutation = await call(`${stack.api}/graphql?query=${encodeURIComponent('mutation { setStatus(status: "busy") { status } }')}`, { token: player.accessToken });
    expect([mutation.status, mutation.headers.get('content-type')]).toEqual([405, 'application/problem+json']);
    const other = await gql(`{ user(id: "${player.user.id}") { id username restricted } missing: user(id: "nobody") { id } }`, player.accessToken);
    expect(other.body.data?.user).toEqual({ id: player.user.id, username: player.user.username, restricted: false });
    expect(other.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['missing'], 'NOT_FOUND']]);
  });

  it('the other reads answer what their REST routes answer', async () => {
    const token = player.accessToken;
    const id = player.user.id;
    const res = await gql(
      `{
        players(search: "${player.user.username}") { items { id username } }
        userStatus { userId status }
        activity(userId: "${id}", limit: 5) { items { id } cursor }
        stats(userId: "${id}") { userId total matches { gamesPlayed } }
        wallet(userId: "${id}") { userId balances { currency amount } }
        leaderboard(id: "wins", limit: 5) { boardId total }
      }`,
      token,
    );
    expect(res.body.errors).toBeUndefined();
    const rest = async (path: string) => (await call<Record<string, unknown>>(`${stack.api}${path}`, { token })).body;
    const data = res.body.data as Record<string, Record<string, unknown>>;
    expect(data.players?.items).toEqual((await rest(`/players?search=${player.user.username}`)).items);
    expect(data.userStatus).toEqual({ userId: id, status: (await rest('/user-status')).status });
    expect(data.activity).toEqual({ items: [], cursor: (await rest(`/users/${id}/activity?limit=5`)).cursor });
    const stats = await rest(`/users/${id}/stats`);
    expect(data.stats).toEqual({ userId: id, total: stats.total, matches: { gamesPlayed: (stats.matches as { gamesPlayed: number }).gamesPlayed } });
    const wallet = await rest(`/users/${id}/wallet`);
    expect(data.wallet).toEqual({ userId: id, balances: Object.entries(wallet.balances as object).map(([currency, amount]) => ({ currency, amount })) });
    const board = await rest('/leaderboards/wins?limit=5');
    expect(data.leaderboard).toEqual({ boardId: 'wins', total: board.total });

    // Someone else's wallet is refused as on the REST route.
    const other = await signUp(stack);
    const refused = await gql(`{ wallet(userId: "${other.user.id}") { userId } }`, token);
    expect((await call(`${stack.api}/users/${other.user.id}/wallet`, { token })).status).toBe(403);
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
