/** A fresh Cosmos DB stand-in per test file, with the app's schema, over its REST protocol. */
import { randomBytes } from 'node:crypto';
import { createCosmos, ensureCosmosSchema, type CosmosHandle } from '../../functions/adapters/cosmos/client.js';
import { startCosmosStandIn, type CosmosStandIn } from '../../infra/local/stand-ins.js';

export interface TestCosmos {
  server: CosmosStandIn;
  handle: CosmosHandle;
  stop(): Promise<void>;
}

export async function startTestCosmos(): Promise<TestCosmos> {
  const server = await startCosmosStandIn();
  const handle = await createCosmos({ endpoint: server.endpoint, key: 'test', database: `test-${randomBytes(3).toString('hex')}` }, undefined);
  await ensureCosmosSchema(handle);
  return {
    server,
    handle,
    async stop() {
      handle.client.dispose();
      await server.stop();
    },
  };
}
