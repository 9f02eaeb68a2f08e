/** Shared pieces of the match, leaderboard and wallet tests: recording event sinks, callers. */
import type { UserEvent } from '../../functions/core/events/events.js';
import { EVENT_DATA_SCHEMAS } from '../../functions/core/events/events.js';
import type { EventSink } from '../../functions/core/events/outbox.js';
import type { Caller } from '../../functions/core/kernel/caller.js';

/** Keeps what was emitted (validated against the event schemas), by event id like the outbox does. */
export class RecordingEvents implements EventSink {
  readonly byId = new Map<string, UserEvent>();

  async emit(events: UserEvent[]): Promise<void> {
    for (const event of events) {
      EVENT_DATA_SCHEMAS[event.type].parse(event.data);
      this.byId.set(event.id, event);
    }
  }

  /** Events a change already wrote into its document: recorded the same way. */
  async deliver(events: UserEvent[]): Promise<void> {
    await this.emit(events);
  }

  ofType(type: UserEvent['type']): UserEvent[] {
    return [...this.byId.values()].filter((e) => e.type === type);
  }
}

export const gameServer: Caller = { subject: 'client:test', kind: 'service', sessionId: null, roles: ['game-server'], username: null };

export function player(id: string): Caller {
  return { subject: id, kind: 'player', sessionId: 's', roles: ['player'], username: id };
}

/** Every user exists: these tests are about the game features, not accounts. */
export const anyUser = { findById: async (id: string) => ({ id, username: `name-${id}` }) as never };
