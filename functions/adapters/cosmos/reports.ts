/**
 * Reports in Cosmos. "One open report per reporter and target" is a claim document whose id names
 * the pair: creating it is the atomic test, and resolving the report removes it.
 */
import type { Container } from '@azure/cosmos';
import { DomainError } from '../../core/kernel/errors.js';
import type { Report } from '../../core/social/model.js';
import type { ReportStore } from '../../core/social/ports.js';
import { cosmosStatus, createIfAbsent, deleteIfPresent, isPossibleId, type CosmosHandle } from './client.js';

interface ReportDocument extends Report {
  type: 'report';
  _etag?: string;
}

function claimId(reporterId: string, targetId: string): string {
  return `open-report:${reporterId}:${targetId}`;
}

function fromDocument(doc: ReportDocument): Report {
  const { type: _type, _etag, ...report } = doc;
  return Object.fromEntries(Object.entries(report).filter(([key]) => !key.startsWith('_'))) as unknown as Report;
}

export class CosmosReportStore implements ReportStore {
  private readonly container: Container;

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('reports');
  }

  async create(report: Report): Promise<void> {
    const claim = claimId(report.reporterId, report.targetId);
    if (!(await createIfAbsent(this.container, { id: claim, type: 'claim', reportId: report.id }))) {
      throw new DomainError('CONFLICT', 'You already have an open report about this player; it is being looked at.');
    }
    try {
      await this.container.items.create<ReportDocument>({ ...report, type: 'report' });
    } catch (error) {
      await deleteIfPresent(this.container, claim, claim);
      throw error;
    }
  }

  async get(id: string): Promise<Report | null> {
    if (!isPossibleId(id)) return null;
    const { resource } = await this.container.item(id, id).read<ReportDocument>();
    return resource?.type === 'report' ? fromDocument(resource) : null;
  }

  async list(status: Report['status'], limit: number, after: string | undefined): Promise<Report[]> {
    const { resources } = await this.container.items
      .query<ReportDocument>({
        query: `SELECT TOP @limit * FROM c WHERE c.type = 'report' AND c.status = @status${after === undefined ? '' : ' AND c.sortKey < @after'} ORDER BY c.sortKey DESC`,
        parameters: [
          { name: '@limit', value: limit },
          { name: '@status', value: status },
          ...(after === undefined ? [] : [{ name: '@after', value: after }]),
        ],
      })
      .fetchAll();
    return resources.map(fromDocument);
  }

  async resolve(report: Report, resolution: NonNullable<Report['resolution']>): Promise<Report> {
    const { resource: current } = await this.container.item(report.id, report.id).read<ReportDocument>();
    if (!current?._etag || current.status !== 'open') throw new DomainError('CONFLICT', 'This report is already resolved.');
    const next: ReportDocument = { ...fromDocument(current), type: 'report', status: 'resolved', resolution };
    try {
      await this.container.item(report.id, report.id).replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
    } catch (error) {
      if (cosmosStatus(error) === 412) throw new DomainError('CONFLICT', 'This report is already resolved.');
      throw error;
    }
    const claim = claimId(report.reporterId, report.targetId);
    await deleteIfPresent(this.container, claim, claim);
    return fromDocument(next);
  }
}
