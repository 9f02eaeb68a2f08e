/**
 * A process that makes one account change (sign-up, login or logout) with the app's own services
 * and stops dead at a named point, for the tests that kill a process between the steps of a change.
 * At the point it prints `CRASH-POINT` and waits; the test then kills it with SIGKILL.
 *
 *   node dist/infra/faults/change-then-die.js <signup|login|logout> <after-change|after-publish> '<json input>'
 * Settings come from the environment, as for the app.
 */
import { CosmosEventOutbox } from '../../functions/adapters/cosmos/outbox.js';
import { CosmosSessionRepository } from '../../functions/adapters/cosmos/sessions.js';
import { CosmosUserRepository } from '../../functions/adapters/cosmos/users.js';
import { logIn, signUp } from '../../functions/core/accounts/accounts.js';
import { logOut } from '../../functions/core/sessions/sessions.js';
import { loadConfig } from '../../functions/platform/config.js';
import { createServices } from '../../functions/platform/services.js';

type Action = 'signup' | 'login' | 'logout';
type Point = 'after-change' | 'after-publish';

function stopHere(): Promise<never> {
  process.stdout.write('CRASH-POINT\n');
  return new Promise<never>(() => {});
}

/** Makes `method` of the prototype finish its real work, then stop the process there. */
function dieAfter<T extends object>(proto: T, method: keyof T): void {
  const original = proto[method] as (...args: unknown[]) => Promise<unknown>;
  (proto as Record<keyof T, unknown>)[method] = async function (this: unknown, ...args: unknown[]) {
    await original.apply(this, args);
    return stopHere();
  };
}

const [action, point, rawInput] = process.argv.slice(2) as [Action, Point, string];
const input = JSON.parse(rawInput) as Record<string, string>;

if (point === 'after-change') {
  // The write of the change itself: the user (sign-up), the new session (login), the revoked session (logout).
  if (action === 'signup') dieAfter(CosmosUserRepository.prototype, 'create');
  if (action === 'login') dieAfter(CosmosSessionRepository.prototype, 'create');
  if (action === 'logout') dieAfter(CosmosSessionRepository.prototype, 'replaceIfUnchanged');
} else {
  // Service Bus has the event; the process dies before it can forget it.
  CosmosEventOutbox.prototype.clear = stopHere;
}

const services = await createServices(loadConfig(process.env));
const origin = { userAgent: 'crash-test', ip: null, clientLabel: null };
if (action === 'signup') await signUp(services.accounts, { username: input['username'] ?? '', email: input['email'] ?? '', password: input['password'] ?? '' }, origin);
if (action === 'login') await logIn(services.accounts, { login: input['login'] ?? '', password: input['password'] ?? '' }, origin);
if (action === 'logout') await logOut(services.accounts, input['userId'] ?? '', input['sessionId'] ?? null);
process.stdout.write('DONE\n');
await services.close();
