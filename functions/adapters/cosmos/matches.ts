/** Match results (one record per match) and each player's match stats and history, in Cosmos. */
import type { Container } from '@azure/cosmos';
import { historySortKey } from '../../core/matches/matches.js';
import type { MatchHistoryEntry, MatchRecord, MatchRecords, PlayerMatchRepository, PlayerStats } from '../../core/matches/ports.js';
import { cosmosStatus, createIfAbsent, isPossibleId, newestFirst, type CosmosHandle } from './client.js';

export class CosmosMatchRecords implements MatchRecords {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('matches');
  }

  async create(record: MatchRecord): Promise<boolean> {
    return createIfAbsent(this.container, record);
  }

  async find(id: string): Promise<MatchRecord | null> {
    const { resource } = await this.container.item(id, id).read<MatchRecord>();
    if (!resource) return null;
    const { id: matchId, mode, endedAt, results, fingerprint, status, receivedAt, appliedAt } = resource;
    return { id: matchId, mode, endedAt, results, fingerprint, status, receivedAt, appliedAt };
  }

  async markApplied(id: string, appliedAt: string): Promise<void> {
    await this.container.item(id, id).patch([
      { op: 'set', path: '/status', value: 'applied' },
      { op: 'set', path: '/appliedAt', value: appliedAt },
    ]);
  }

  async unfinished(receivedBefore: string, limit: number): Promise<MatchRecord[]> {
    const { resources } = await this.container.items
      .query<MatchRecord>({
        query: "SELECT TOP @limit * FROM c WHERE c.status = 'applying' AND c.receivedAt < @before ORDER BY c.receivedAt",
        parameters: [
          { name: '@limit', value: limit },
          { name: '@before', value: receivedBefore },
        ],
      })
      .fetchAll();
    return resources;
  }
}

interface StatsDoc extends PlayerStats {
  id: 'stats';
  type: 'stats';
  _etag?: string;
}

interface HistoryDoc extends MatchHistoryEntry {
  id: string;
  type: 'match';
  userId: string;
  sortKey: string;
}

export class CosmosPlayerMatches implements PlayerMatchRepository {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('playerMatches');
  }

  async readStats(userId: string): Promise<{ stats: PlayerStats | null; etag: string | null }> {
    if (!isPossibleId(userId)) return { stats: null, etag: null };
    const { resource } = await this.container.item('stats', userId).read<StatsDoc>();
    if (!resource) return { stats: null, etag: null };
    const { gamesPlayed, wins, losses, draws, earnings, stats, matchIds, updatedAt } = resource;
    return { stats: { userId, gamesPlayed, wins, losses, draws, earnings, stats, matchIds, updatedAt }, etag: resource._etag ?? null };
  }

  async writeStats(stats: PlayerStats, etag: string | null): Promise<boolean> {
    const doc: StatsDoc = { ...stats, id: 'stats', type: 'stats' };
    try {
      if (etag === null) await this.container.items.create(doc);
      else await this.container.item('stats', stats.userId).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      return true;
    } catch (error) {
      const status = cosmosStatus(error);
      if (status === 409 || status === 412) return false;
      throw error;
    }
  }

  async addHistory(userId: string, entry: MatchHistoryEntry): Promise<void> {
    const doc: HistoryDoc = { ...entry, id: `match:${entry.matchId}`, type: 'match', userId, sortKey: historySortKey(entry) };
    await createIfAbsent(this.container, doc);
  }

  async history(userId: string, limit: number, before: string | undefined): Promise<MatchHistoryEntry[]> {
    if (!isPossibleId(userId)) return [];
    const resources = await newestFirst<HistoryDoc>(this.container, userId, 'match', limit, before);
    return resources.map(({ matchId, mode, endedAt, userId: player, outcome, score, earnings, stats }) => ({
      matchId,
      mode,
      endedAt,
      userId: player,
      outcome,
      ...(score !== undefined ? { score } : {}),
      ...(earnings !== undefined ? { earnings } : {}),
      ...(stats !== undefined ? { stats } : {}),
    }));
  }
}
