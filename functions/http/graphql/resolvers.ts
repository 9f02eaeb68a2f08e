/**
 * The resolvers: each one authenticates the caller (once per request) and calls the same use case,
 * with the same input schema, as the REST route it mirrors. No policy lives here.
 */
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { getOwnAccount } from '../../core/accounts/accounts.js';
import { updateNamedProfile } from '../../core/accounts/profiles.js';
import { updateProfileInput } from '../../core/accounts/schemas.js';
import { activityHistory } from '../../core/activity/activity.js';
import { historyQuery } from '../../core/activity/schemas.js';
import { requirePlayer, type Caller } from '../../core/kernel/caller.js';
import { isDomainError } from '../../core/kernel/errors.js';
import { pageQuery } from '../../core/kernel/paging.js';
import { topOfBoard } from '../../core/leaderboards/leaderboards.js';
import { topQuery } from '../../core/leaderboards/schemas.js';
import { readPlayerStats } from '../../core/matches/stats-view.js';
import { activeUsers, setOwnStatus } from '../../core/presence/presence.js';
import { setStatusInput, statusQuery } from '../../core/presence/schemas.js';
import { viewProfile, viewStatus } from '../../core/social/profiles.js';
import { playerSearchQuery } from '../../core/social/schemas.js';
import { searchPlayers } from '../../core/social/search.js';
import { getWallet } from '../../core/wallet/wallet.js';
import { parseWith } from '../../platform/http.js';
import type { Services } from '../../platform/services.js';

export type GraphqlServices = Pick<Services, 'accounts' | 'onAuthenticated' | 'social' | 'presence' | 'activity' | 'matches' | 'wallet' | 'leaderboards'>;

/** What every resolver gets: the services, the caller (verified on first use), and where to log. */
export interface GraphqlContext {
  services: GraphqlServices;
  caller(): Promise<Caller>;
  isDependencyUnavailable(error: unknown): boolean;
  logError(message: string, error: unknown): void;
}

type Args = Record<string, unknown>;

/** GraphQL sends an absent optional argument as absent, a null one as null: the zod schemas want neither null. */
function input<S extends z.ZodType>(schema: S, args: Args): z.infer<S> {
  return parseWith(schema, Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null)));
}

/** Domain errors keep their code (and named fields); outages say so; anything else is logged and masked. */
export function toGraphqlError(error: unknown, context: GraphqlContext): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (isDomainError(error)) {
    return new GraphQLError(error.message, { extensions: { code: error.code, ...(error.errors ? { fields: error.errors } : {}) } });
  }
  if (context.isDependencyUnavailable(error)) {
    return new GraphQLError('A service this request needs is unavailable; retry shortly.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
  context.logError('GraphQL resolver failed', error);
  return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL' } });
}

function resolver<T>(run: (args: Args, context: GraphqlContext, caller: Caller) => Promise<T>) {
  return async (_parent: unknown, args: Args, context: GraphqlContext): Promise<T> => {
    try {
      return await run(args, context, await context.caller());
    } catch (error) {
      throw toGraphqlError(error, context);
    }
  };
}

export const RESOLVERS = {
  Query: {
    me: resolver((_args, { services }, caller) => getOwnAccount(services.accounts, requirePlayer(caller))),
    user: resolver(async (args, { services }, caller) => {
      const { view } = await viewProfile(services.social, caller, String(args.id));
      return { restricted: false, ...view };
    }),
    players: resolver((args, { services }, caller) => searchPlayers(services.social, caller, input(playerSearchQuery, args))),
    activeUsers: resolver((args, { services }, caller) => activeUsers(services.presence, caller, input(pageQuery, args))),
    userStatus: resolver((args, { services }, caller) => {
      const { userId } = input(statusQuery, args.id === undefined || args.id === null ? {} : { userId: args.id });
      return viewStatus(services.social, caller, userId);
    }),
    activity: resolver((args, { services }, caller) => {
      const { userId, ...query } = args;
      return activityHistory(services.activity, caller, String(userId), input(historyQuery, query));
    }),
    stats: resolver((args, { services }, caller) => readPlayerStats(services, caller, String(args.userId))),
    wallet: resolver(async (args, { services }, caller) => {
      const wallet = await getWallet(services.wallet, caller, String(args.userId));
      return { userId: wallet.userId, balances: Object.entries(wallet.balances).map(([currency, amount]) => ({ currency, amount })) };
    }),
    // As GET /api/leaderboards/{id}: any signed-in caller.
    leaderboard: resolver((args, { services }) => {
      const { id, ...query } = args;
      return topOfBoard(services.leaderboards, String(id), input(topQuery, query));
    }),
  },
  Mutation: {
    updateProfile: resolver(async (args, { services }, caller) => (await updateNamedProfile(services.accounts, caller, input(updateProfileInput, args), undefined)).view),
    setStatus: resolver((args, { services }, caller) => setOwnStatus(services.presence, caller, input(setStatusInput, args).status)),
  },
};
