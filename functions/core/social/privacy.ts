/** Who may see what of a player: the settings and the rules that apply them to a viewer. */
import { isStaff, type Caller } from '../kernel/caller.js';
import type { Privacy, Relation } from './model.js';

export { DEFAULT_PRIVACY, type Privacy } from './model.js';


/** The caller sees everything: the player themself, game servers and admins. */
export function seesEverything(caller: Caller, userId: string): boolean {
  return isStaff(caller) || (caller.kind === 'player' && caller.subject === userId);
}

/** Profile details (and the player's lists and counts) beyond the public minimum of id and username. */
export function profileVisible(privacy: Privacy, relation: Relation): boolean {
  if (relation.blockedBy || relation.blocking) return false;
  if (privacy.profileVisibility === 'public') return true;
  return privacy.profileVisibility === 'followers' && relation.following === 'active';
}

export function presenceVisible(privacy: Privacy, relation: Relation): boolean {
  if (relation.blockedBy || relation.blocking) return false;
  switch (privacy.presenceVisibility) {
    case 'everyone':
      return true;
    case 'followers':
      return relation.following === 'active';
    case 'friends':
      return relation.following === 'active' && relation.followedBy === 'active';
    case 'nobody':
      return false;
  }
}
