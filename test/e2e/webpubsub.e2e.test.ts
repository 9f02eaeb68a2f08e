/** The local stack's Web PubSub stand-in: the host gets its settings and is its event handler. */
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { TestSocket } from '../support/webpubsub.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'webpubsub' });
});
afterAll(async () => {
  await stack?.stop();
});

it('starts the stand-in, hands its connection string and hub to the host, and points events at /api/realtime/upstream', async () => {
  expect(stack.webPubSubHub).toBe('game');
  expect(stack.webPubSubConnectionString).toMatch(/^Endpoint=http:\/\/127\.0\.0\.1;Port=\d+;AccessKey=[^;]+;Version=1\.0;$/);
  const service = new WebPubSubServiceClient(stack.webPubSubConnectionString ?? '', stack.webPubSubHub, { allowInsecureConnection: true });
  await service.sendToAll({ hello: 'nobody yet' });
  expect(await service.groupExists('lobby')).toBe(false);

  // The host passes abuse protection, then its connect handler refuses a token whose account does
  // not exist (the app's own tokens come from POST /api/realtime/negotiate).
  const { url } = await service.getClientAccessToken({ userId: 'player-1' });
  await expect(TestSocket.open(url)).rejects.toMatchObject({ status: 401 });
  await expect.poll(() => stack.output()).toMatch(/OPTIONS \/api\/realtime\/upstream 200/);
});
