/**
 * The topics a client may subscribe to, and the Web PubSub group behind each. Group names use "."
 * where topics use ":", so they stay plain names in the service's REST paths.
 */
export const GAME_UPDATES = 'game_updates';

export type Topic = { kind: 'game_updates' } | { kind: 'presence'; userId: string } | { kind: 'user'; userId: string };

const ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

/** The topic a client named, or null when it names none of ours. */
export function parseTopic(text: unknown): Topic | null {
  if (typeof text !== 'string') return null;
  if (text === GAME_UPDATES) return { kind: 'game_updates' };
  const match = /^(presence|user):(.+)$/.exec(text);
  if (!match?.[1] || !match[2] || !ID.test(match[2])) return null;
  return { kind: match[1] as 'presence' | 'user', userId: match[2] };
}

export function topicName(topic: Topic): string {
  return topic.kind === 'game_updates' ? GAME_UPDATES : `${topic.kind}:${topic.userId}`;
}

export function groupOf(topic: Topic): string {
  return topic.kind === 'game_updates' ? GAME_UPDATES : `${topic.kind}.${topic.userId}`;
}

/** Every connection joins its own user channel at connect. */
export function userGroup(userId: string): string {
  return groupOf({ kind: 'user', userId });
}
