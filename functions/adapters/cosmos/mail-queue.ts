/** The mail queue in Cosmos: a document per mail to send, leased by an etag-checked write. */
import type { Container } from '@azure/cosmos';
import type { MailJob, MailQueue } from '../../core/email/ports.js';
import { cosmosStatus, deleteIfPresent, type CosmosHandle } from './client.js';

interface MailDocument extends MailJob {
  _etag?: string;
}

export class CosmosMailQueue implements MailQueue {
  private readonly container: Container;
  /** Etags of the jobs this process read, so a lease only wins over an unchanged document. */
  private readonly etags = new Map<string, string>();

  constructor(cosmos: CosmosHandle) {
    this.container = cosmos.container('mail');
  }

  async add(job: MailJob): Promise<void> {
    await this.container.items.create<MailDocument>({ ...job });
  }

  async due(now: number, limit: number): Promise<MailJob[]> {
    const { resources } = await this.container.items
      .query<MailDocument>({
        query: 'SELECT TOP @limit * FROM c WHERE c.notBefore <= @now ORDER BY c.notBefore',
        parameters: [
          { name: '@limit', value: limit },
          { name: '@now', value: now },
        ],
      })
      .fetchAll();
    for (const doc of resources) if (doc._etag) this.etags.set(doc.id, doc._etag);
    return resources.map(toJob);
  }

  async lease(job: MailJob, until: number): Promise<MailJob | null> {
    const etag = this.etags.get(job.id);
    this.etags.delete(job.id);
    if (!etag) return null;
    const leased = { ...job, notBefore: until };
    try {
      await this.container.item(job.id, job.id).replace<MailDocument>(leased, { accessCondition: { type: 'IfMatch', condition: etag } });
      return leased;
    } catch (error) {
      // Another instance leased it first, or it was sent meanwhile.
      if (cosmosStatus(error) === 412 || cosmosStatus(error) === 404) return null;
      throw error;
    }
  }

  async reschedule(job: MailJob): Promise<void> {
    await this.container.items.upsert<MailDocument>({ ...job });
  }

  async remove(job: MailJob): Promise<void> {
    await deleteIfPresent(this.container, job.id, job.id);
  }
}

function toJob(doc: MailDocument): MailJob {
  return { id: doc.id, kind: doc.kind, userId: doc.userId, address: doc.address, newEmail: doc.newEmail, attempts: doc.attempts, notBefore: doc.notBefore, createdAt: doc.createdAt };
}
