/** The player search index against real Redis: prefix ranges, case, pages and removal. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisPlayerIndex } from '../../functions/adapters/redis/player-index.js';
import { testRedis } from '../support/redis-client.js';

const redis = testRedis('player-index');
afterAll(() => redis.stop());

describe('RedisPlayerIndex', () => {
  it('finds players by lower-case prefix in name order, pages by position, and forgets removed ones', async () => {
    const index = new RedisPlayerIndex(redis.get, redis.prefix);
    const players = ['Alice', 'alicia', 'ALI', 'Bob', 'alfred', 'al'].map((username) => ({ id: randomUUID(), username }));
    await index.add(players);
    const all = await index.range('ali', 10, undefined);
    expect(all.players.map((p) => p.username)).toEqual(['ALI', 'Alice', 'alicia']);
    const first = await index.range('ali', 2, undefined);
    const rest = await index.range('ali', 2, first.positions[1]);
    expect(rest.players.map((p) => p.username)).toEqual(['alicia']);
    expect((await index.range('al', 10, undefined)).players.map((p) => p.username)).toEqual(['al', 'alfred', 'ALI', 'Alice', 'alicia']);
    await index.remove([players[0]!]);
    expect((await index.range('ali', 10, undefined)).players.map((p) => p.username)).toEqual(['ALI', 'alicia']);
    expect((await index.range('zz', 10, undefined)).players).toEqual([]);
  });
});
