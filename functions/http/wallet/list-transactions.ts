import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { pageQuery } from '../../core/kernel/paging.js';
import { listTransactions } from '../../core/wallet/wallet.js';
import { authenticate } from '../../platform/auth.js';
import { json, readQuery, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { ledgerPage } from './contract.js';

/** GET /api/users/{id}/wallet/transactions: the ledger, newest first. */
export async function walletTransactions(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'wallet'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const page = readQuery(request, pageQuery);
  return json(200, await listTransactions(services.wallet, caller, routeParam(request, 'id'), page));
}

httpFunction('walletTransactions', {
  route: 'users/{id}/wallet/transactions',
  tag: 'wallet',
  handler: walletTransactions,
  operations: {
    GET: {
      summary: "A player's wallet ledger, newest first",
      description: 'The owner, game servers and admins.',
      auth: 'bearer',
      query: pageQuery,
      responses: { 200: { description: 'One page of ledger entries.', body: ledgerPage } },
      problems: [400, 401, 403, 404, 503],
    },
  },
});
