import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { postTransaction } from '../../core/wallet/wallet.js';
import { transactionInput } from '../../core/wallet/schemas.js';
import { authenticate } from '../../platform/auth.js';
import { json, readJson, routeParam } from '../../platform/http.js';
import { httpFunction } from '../../platform/openapi/routes.js';
import type { Services } from '../../platform/services.js';
import { transactionResult } from './contract.js';

/** POST /api/users/{id}/wallet/transactions: credit or debit, once per idempotency key. */
export async function walletTransaction(request: HttpRequest, services: Pick<Services, 'accounts' | 'onAuthenticated' | 'wallet'>): Promise<HttpResponseInit> {
  const caller = await authenticate(request, services);
  const input = await readJson(request, transactionInput);
  const result = await postTransaction(services.wallet, caller, routeParam(request, 'id'), input);
  return json(result.replayed ? 200 : 201, result);
}

httpFunction('walletTransaction', {
  route: 'users/{id}/wallet/transactions',
  tag: 'wallet',
  handler: walletTransaction,
  operations: {
    POST: {
      summary: 'Credit or debit a wallet',
      description:
        'Game servers and admins. `amount` in minor units, negative to debit; the balance never goes below 0 (409 naming `amount`). ' +
        'A repeated `idempotencyKey` answers 200 with the first outcome and changes nothing.',
      auth: 'bearer',
      body: transactionInput,
      responses: {
        201: { description: 'Applied.', body: transactionResult },
        200: { description: 'This idempotency key was applied before: its first outcome.', body: transactionResult },
      },
      problems: [400, 401, 403, 404, 409, 413, 415, 503],
    },
  },
});
