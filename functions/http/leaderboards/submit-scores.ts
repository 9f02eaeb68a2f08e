import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { submitScores } from '../../core/leaderboards/leaderboards.js';
import { scoreInput, scoreSubmission, MAX_SCORE_BATCH } from '../../core/leaderboards/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, parseWith, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { submittedScores } from './contract.js';

const batch = z.strictObject({ items: z.array(scoreSubmission).min(1, 'needs at least one item').max(MAX_SCORE_BATCH, `has at most ${MAX_SCORE_BATCH} items`) });

/** POST /api/leaderboards/{id}/scores: one `{userId, score, metadata?}` or `{items: [...]}`. */
export async function leaderboardScores(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'leaderboards'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const body = await readJson(request, z.record(z.string(), z.unknown(), 'must be a JSON object'), { maxBytes: 1024 * 1024 });
  // One schema per shape, so a mistake is named against the shape the client meant.
  const submissions = 'items' in body ? parseWith(batch, body).items : [parseWith(scoreSubmission, body)];
  const { items } = await submitScores(services.leaderboards, caller, routeParam(request, 'id'), submissions);
  const shown = items.map(({ userId, score, metadata, reachedAt }) => ({ userId, score, metadata, reachedAt }));
  return json(200, { items: shown });
}

httpFunction('leaderboardScores', {
  route: 'leaderboards/{id}/scores',
  tag: 'leaderboards',
  handler: leaderboardScores,
  operations: {
    POST: {
      summary: 'Submit scores to a leaderboard',
      description: `Game servers. One submission or \`{items}\` with up to ${MAX_SCORE_BATCH}; each is combined with the player's entry by the board's operator (best, sum, set).`,
      auth: 'bearer',
      body: scoreInput,
      responses: { 200: { description: 'The entries as the board now has them, in request order.', body: submittedScores } },
      problems: [400, 401, 403, 404, 413, 415, 503],
    },
  },
});
