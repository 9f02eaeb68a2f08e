/**
 * bcrypt on worker threads. A cost-12 hash takes ~250 ms of CPU; run on the event loop it would
 * stall every other request, so hashes and compares go to a pool sized to the cores, with a
 * bounded queue so a login flood gets a quick 503 instead of unbounded latency.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../core/kernel/errors.js';
import type { PasswordHasher } from '../../core/accounts/ports.js';

// Inline CommonJS so the same worker runs from TypeScript sources (tests) and compiled output.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, op, password, arg }) => {
  try {
    const result = op === 'hash' ? bcrypt.hashSync(password, arg) : bcrypt.compareSync(password, arg);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type Job = {
  id: number;
  op: 'hash' | 'compare';
  password: string;
  arg: string | number;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
};

interface Slot {
  worker: Worker;
  job: Job | null;
}

export interface BcryptPoolOptions {
  cost: number;
  workers: number;
  queueLimit: number;
}

export class BcryptPool implements PasswordHasher {
  private readonly bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly options: BcryptPoolOptions) {
    for (let i = 0; i < options.workers; i++) this.slots.push(this.spawn());
  }

  hash(password: string): Promise<string> {
    return this.run('hash', password, this.options.cost) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run('compare', password, hash) as Promise<boolean>;
  }

  async verifyDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(16).toString('base64url'));
    await this.verify(password, await this.dummyHash);
  }

  needsRehash(hash: string): boolean {
    // "$2b$12$...": the cost is the two digits after the second "$".
    const cost = Number(/^\$2[abxy]?\$(\d{2})\$/.exec(hash)?.[1]);
    return Number.isInteger(cost) && cost < this.options.cost;
  }

  /** Jobs waiting for a free worker, for diagnostics and tests. */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('password hasher closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath: this.bcryptPath } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const job = slot.job;
      slot.job = null;
      if (job && job.id === message.id) {
        if (message.error !== undefined) job.reject(new Error(`bcrypt ${job.op} failed: ${message.error}`));
        else job.resolve(message.result as string | boolean);
      }
      this.dispatch();
    });
    // A dead worker fails its job and is replaced, so one bad input cannot shrink the pool.
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, new Error(`bcrypt worker exited with code ${code}`));
    });
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    if (this.closed) return;
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    slot.job?.reject(error);
    slot.job = null;
    void slot.worker.terminate();
    this.slots[index] = this.spawn();
    this.dispatch();
  }

  private run(op: Job['op'], password: string, arg: string | number): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('password hasher closed'));
    if (this.queue.length >= this.options.queueLimit) {
      return Promise.reject(
        new DomainError('SERVICE_BUSY', 'Too many logins are being processed; try again shortly.', { retryAfterSeconds: 1 }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, op, password, arg, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, op: job.op, password: job.password, arg: job.arg });
    }
  }
}
