/** The match, leaderboard and wallet routes are registered with their contracts, so the OpenAPI document has them. */
import { describe, expect, it } from 'vitest';
import '../../functions/http/wallet/get-wallet.js';
import '../../functions/http/wallet/post-transaction.js';
import '../../functions/http/wallet/list-transactions.js';
import '../../functions/http/leaderboards/submit-scores.js';
import '../../functions/http/leaderboards/leaderboard-top.js';
import '../../functions/http/leaderboards/leaderboard-around.js';
import '../../functions/http/leaderboards/leaderboard-rank.js';
import '../../functions/http/leaderboards/rebuild-leaderboard.js';
import '../../functions/http/matches/put-match.js';
import '../../functions/http/matches/get-match.js';
import '../../functions/http/matches/match-result.js';
import '../../functions/http/matches/user-matches.js';
import { HTTP_FUNCTIONS } from '../../functions/platform/openapi/routes.js';

const EXPECTED = [
  'GET users/{id}/wallet',
  'POST users/{id}/wallet/transactions',
  'GET users/{id}/wallet/transactions',
  'POST leaderboards/{id}/scores',
  'GET leaderboards/{id}',
  'GET leaderboards/{id}/around/{userId}',
  'GET leaderboards/{id}/users/{userId}',
  'POST admin/leaderboards/{id}/rebuild',
  'PUT matches/{id}',
  'GET matches/{id}',
  'POST matches/{id}/result',
  'GET users/{id}/matches',
];

describe('game routes', () => {
  it('registers every route with a summary, a success body and its problems', () => {
    const registered = HTTP_FUNCTIONS.flatMap((f) => Object.entries(f.operations).map(([method, op]) => ({ key: `${method} ${f.route}`, tag: f.tag, op })));
    for (const key of EXPECTED) {
      const found = registered.find((r) => r.key === key);
      expect(found, key).toBeDefined();
      expect(['wallet', 'leaderboards', 'matches']).toContain(found?.tag);
      expect(found?.op.summary.length).toBeGreaterThan(0);
      expect(Object.values(found?.op.responses ?? {}).some((r) => r?.body !== undefined), key).toBe(true);
      expect(found?.op.problems, key).toContain(401);
    }
  });
});
