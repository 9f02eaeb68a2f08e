/** The social graph's vocabulary: edge states, relations, privacy settings, reports. Types and constants only. */

/** A follow is active, waiting for the followee's approval, or not (never made, undone, rejected). */
export type FollowState = 'active' | 'pending' | 'none';

/** Every edge between the viewer and one other player, read from the viewer's own partition. */
export interface Relation {
  /** Does the viewer follow them (or ask to)? */
  following: FollowState;
  /** Do they follow the viewer (or ask to)? */
  followedBy: FollowState;
  blocking: boolean;
  blockedBy: boolean;
}

export const NO_RELATION: Relation = { following: 'none', followedBy: 'none', blocking: false, blockedBy: false };

export const PROFILE_VISIBILITIES = ['public', 'followers', 'private'] as const;
export const PRESENCE_VISIBILITIES = ['everyone', 'followers', 'friends', 'nobody'] as const;

export interface Privacy {
  profileVisibility: (typeof PROFILE_VISIBILITIES)[number];
  presenceVisibility: (typeof PRESENCE_VISIBILITIES)[number];
  /** New followers wait for the player's approval. */
  followApproval: boolean;
  /** The player appears in other players' search. */
  searchable: boolean;
}

/** Presence defaults to followers: before the social graph, no player saw another's presence at all. */
export const DEFAULT_PRIVACY: Privacy = { profileVisibility: 'public', presenceVisibility: 'followers', followApproval: false, searchable: true };

export const REPORT_CATEGORIES = ['cheating', 'harassment', 'spam', 'name', 'other'] as const;
export const REPORT_ACTIONS = ['dismiss', 'warn', 'suspend', 'ban'] as const;

export interface Report {
  id: string;
  reporterId: string;
  reporterUsername: string;
  targetId: string;
  targetUsername: string;
  category: (typeof REPORT_CATEGORIES)[number];
  details: string | null;
  status: 'open' | 'resolved';
  createdAt: string;
  /** createdAt|id: the queue's newest-first order. */
  sortKey: string;
  resolution: { action: (typeof REPORT_ACTIONS)[number]; note: string; adminId: string; at: string } | null;
}
