/** The privacy rules on their own: what each setting lets a viewer see, given their relation. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY, NO_RELATION, type Privacy, type Relation } from '../../functions/core/social/model.js';
import { presenceVisible, profileVisible, seesEverything } from '../../functions/core/social/privacy.js';
import type { Caller } from '../../functions/core/kernel/caller.js';

const stranger: Relation = NO_RELATION;
const follower: Relation = { ...NO_RELATION, following: 'active' };
const pendingFollower: Relation = { ...NO_RELATION, following: 'pending' };
const friend: Relation = { ...NO_RELATION, following: 'active', followedBy: 'active' };
const blocked: Relation = { ...friend, blockedBy: true };
const blocking: Relation = { ...friend, blocking: true };
const privacy = (changes: Partial<Privacy>): Privacy => ({ ...DEFAULT_PRIVACY, ...changes });

describe('profileVisible', () => {
  it.each([
    ['public', stranger, true],
    ['public', blocked, false],
    ['public', blocking, false],
    ['followers', stranger, false],
    ['followers', pendingFollower, false],
    ['followers', follower, true],
    ['private', friend, false],
  ] as const)('%s to %o: %s', (visibility, relation, expected) => {
    expect(profileVisible(privacy({ profileVisibility: visibility }), relation)).toBe(expected);
  });
});

describe('presenceVisible', () => {
  it.each([
    ['everyone', stranger, true],
    ['everyone', blocked, false],
    ['followers', stranger, false],
    ['followers', follower, true],
    ['friends', follower, false],
    ['friends', friend, true],
    ['nobody', friend, false],
  ] as const)('%s to %o: %s', (visibility, relation, expected) => {
    expect(presenceVisible(privacy({ presenceVisibility: visibility }), relation)).toBe(expected);
  });

  it('defaults to followers, so a stranger does not see presence until the player says so', () => {
    expect(presenceVisible(DEFAULT_PRIVACY, stranger)).toBe(false);
    expect(presenceVisible(DEFAULT_PRIVACY, follower)).toBe(true);
  });
});

describe('seesEverything', () => {
  const player = (subject: string, roles: Caller['roles'] = ['player']): Caller => ({ subject, kind: 'player', sessionId: 's', roles, username: 'x' });
  it('is the player themself, an admin or a game server', () => {
    expect(seesEverything(player('me'), 'me')).toBe(true);
    expect(seesEverything(player('other'), 'me')).toBe(false);
    expect(seesEverything(player('admin', ['player', 'admin']), 'me')).toBe(true);
    expect(seesEverything({ subject: 'client:gs', kind: 'service', sessionId: null, roles: ['game-server'], username: null }, 'me')).toBe(true);
  });
});
