/** Who is calling, as established from a verified access token, and what that allows. */
import { DomainError } from './errors.js';

/** Every role a token can carry; players have 'player', game servers 'game-server'. */
export const ROLES = ['player', 'admin', 'game-server'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** The player's user id, or `client:<id>` for a game server. */
  subject: string;
  kind: 'player' | 'service';
  sessionId: string | null;
  roles: Role[];
  /** From the token, for presence listings; null for game servers. */
  username: string | null;
}

export function isAdmin(caller: Caller): boolean {
  return caller.kind === 'player' && caller.roles.includes('admin');
}

/** Player-only endpoints: a game server's token gets 403 there. */
export function requirePlayer(caller: Caller): string {
  if (caller.kind !== 'player') throw new DomainError('FORBIDDEN', 'This endpoint is for players; game-server tokens cannot use it.');
  return caller.subject;
}

/** Game-server endpoints: a player's token gets 403 there. */
export function requireService(caller: Caller): void {
  if (caller.kind !== 'service') throw new DomainError('FORBIDDEN', 'This endpoint is for game servers (role "game-server").');
}

export function requireAdmin(caller: Caller): void {
  if (!isAdmin(caller)) throw new DomainError('FORBIDDEN', 'This endpoint is for admins.');
}

/** Game servers and admins: who may see any player's records. */
export function isStaff(caller: Caller): boolean {
  return caller.kind === 'service' || isAdmin(caller);
}

/** Game servers and admins only; `what` names the thing for the 403's detail. */
export function requireStaff(caller: Caller, what: string): void {
  if (!isStaff(caller)) throw new DomainError('FORBIDDEN', `${what} is for game servers and admins.`);
}

/** The player themself, a game server or an admin: who may read a player's own records. */
export function requireSelfOrStaff(caller: Caller, userId: string, what: string): void {
  if (caller.subject === userId || isStaff(caller)) return;
  throw new DomainError('FORBIDDEN', `${what} is visible to its player, game servers and admins.`);
}

/** The owner of an account, or an admin. */
export function requireOwnerOrAdmin(caller: Caller, userId: string): void {
  if (caller.kind === 'player' && (caller.subject === userId || isAdmin(caller))) return;
  throw new DomainError('FORBIDDEN', 'Only the account owner or an admin may do this.');
}
