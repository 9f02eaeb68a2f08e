/**
 * The refresh benchmark's baseline, in a process of its own: the Cosmos operations one refresh
 * does, straight on the stand-in with the app's own client (same SDK, same options), in closed
 * loops. Told what to do over IPC; answers how many refresh equivalents it completed.
 */
import { createCosmos } from '../functions/adapters/cosmos/client.js';

export type Operation = 'readSession' | 'readUser' | 'replaceSession';

export interface BaselineTask {
  targets: { userId: string; sessionId: string }[];
  seconds: number;
  operations: Operation[];
}

export interface BaselineResult {
  done: number;
  failed: number;
  elapsedSeconds: number;
  /** CPU this process spent meanwhile (user + system), ms. */
  cpuMs: number;
}

type Doc = Record<string, unknown> & { _etag?: string };

/** The document as the app writes it: without the service's system properties. */
function withoutSystemFields(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
}

const env = process.env;
const cosmos = await createCosmos({ endpoint: env['COSMOS_ENDPOINT'] ?? '', key: env['COSMOS_KEY'], database: env['COSMOS_DATABASE'] ?? '' }, undefined);
const sessions = cosmos.container('sessions');
const users = cosmos.container('users');

async function run(task: BaselineTask): Promise<BaselineResult> {
  let done = 0;
  let failed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + task.seconds * 1000;
  await Promise.all(
    task.targets.map(async ({ userId, sessionId }) => {
      while (performance.now() < deadline) {
        try {
          let session: Doc | undefined;
          for (const operation of task.operations) {
            if (operation === 'readSession') session = (await sessions.item(sessionId, userId).read<Doc>()).resource;
            else if (operation === 'readUser') await users.item(userId, userId).read();
            else if (session) {
              const body = { ...withoutSystemFields(session), lastUsedAt: new Date().toISOString() };
              await sessions.item(sessionId, userId).replace(body, { accessCondition: { type: 'IfMatch', condition: session._etag ?? '' } });
            }
          }
          done += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { done, failed, elapsedSeconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.on('message', (task: BaselineTask) => {
  void run(task).then((result) => {
    process.send?.(result);
    cosmos.client.dispose();
    process.disconnect();
  });
});
