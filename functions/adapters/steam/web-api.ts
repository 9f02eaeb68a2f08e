/**
 * Steam session tickets, checked with the Steam Web API's ISteamUserAuth/AuthenticateUserTicket.
 * Ticket problems come back as HTTP 200 with response.error; any other status is Steam refusing
 * this service's key or app id, or being down.
 */
import { DomainError } from '../../core/kernel/errors.js';
import type { SteamTickets } from '../../core/identities/ports.js';

export interface SteamWebApiOptions {
  baseUrl: string;
  appId: number | undefined;
  /** The publisher Web API key: a secret, read through the secret provider. */
  publisherKey: () => Promise<string | undefined>;
  timeoutMs?: number;
}

interface AuthenticateAnswer {
  response?: {
    params?: { result?: string; steamid?: string; ownersteamid?: string; vacbanned?: boolean; publisherbanned?: boolean };
    error?: { errorcode?: number; errordesc?: string };
  };
}

function invalidTicket(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'The Steam session ticket is invalid or was cancelled.');
}

export class SteamWebApi implements SteamTickets {
  constructor(private readonly options: SteamWebApiOptions) {}

  async authenticate(ticket: string): Promise<{ steamId: string }> {
    const key = await this.options.publisherKey();
    if (key === undefined || this.options.appId === undefined) {
      throw new DomainError('NOT_CONFIGURED', 'Steam sign-in is not configured on this service (STEAM_APP_ID, STEAM_PUBLISHER_KEY).');
    }
    // The ticket is hex; anything else is refused here rather than sent on.
    if (!/^[0-9A-Fa-f]+$/.test(ticket)) throw invalidTicket();
    const url = new URL('ISteamUserAuth/AuthenticateUserTicket/v1/', this.options.baseUrl.replace(/\/?$/, '/'));
    url.searchParams.set('appid', String(this.options.appId));
    url.searchParams.set('ticket', ticket);
    let response: Response;
    try {
      // The key travels as a header, so it never lands in a URL someone logs.
      response = await fetch(url, { headers: { 'x-webapi-key': key }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DomainError(timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_FAILED', 'The Steam Web API could not be reached; try again later.', { cause: error });
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new DomainError('UPSTREAM_FAILED', `The Steam Web API refused the request (${response.status}): check STEAM_APP_ID and STEAM_PUBLISHER_KEY.`);
    }
    const answer = (await response.json().catch(() => ({}))) as AuthenticateAnswer;
    const params = answer.response?.params;
    if (params?.result !== 'OK' || typeof params.steamid !== 'string' || !/^\d{17}$/.test(params.steamid)) throw invalidTicket();
    // Publisher-banned players are this game's bans: they do not get in (VAC bans are the game's call, not ours).
    if (params.publisherbanned === true) throw invalidTicket();
    return { steamId: params.steamid };
  }
}
