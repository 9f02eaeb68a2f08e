import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { getWallet } from '../../core/wallet/wallet.js';
import { authenticate } from '../../platform/auth.js';
import { json, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { walletView } from './contract.js';

/** GET /api/users/{id}/wallet: the balances. */
export async function wallet(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'wallet'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  return json(200, await getWallet(services.wallet, caller, routeParam(request, 'id')));
}

httpFunction('wallet', {
  route: 'users/{id}/wallet',
  tag: 'wallet',
  handler: wallet,
  operations: {
    GET: {
      summary: "A player's balances",
      description: 'The owner, game servers and admins.',
      auth: 'bearer',
      responses: { 200: { description: 'Every configured currency.', body: walletView } },
      problems: [401, 403, 404, 503],
    },
  },
});
