/**
 * Reads about a player (stats, activity, events, presence) answer 404 for a user that does not
 * exist, rather than an empty page that looks like a quiet player. One point read; none when the
 * caller asks about themselves (a deleted account's tokens are already refused).
 */
import type { Caller } from '../kernel/caller.js';
import type { UserRepository } from './ports.js';
import { userNotFound } from './users.js';

export async function requireKnownUser(users: Pick<UserRepository, 'findById'>, caller: Caller, userId: string): Promise<void> {
  if (caller.subject === userId && caller.kind === 'player') return;
  if ((await users.findById(userId)) === null) throw userNotFound();
}
