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

  // The app has no realtime route yet, so the abuse-protection handshake finds 404 and the
  // stand-in refuses the client, as the service refuses clients of a handler it cannot validate.
  const { url } = await service.getClientAccessToken({ userId: 'player-1' });
  await expect(TestSocket.open(url)).rejects.toMatchObject({ status: 500 });
  await expect.poll(() => stack.output()).toMatch(/OPTIONS \/api\/realtime\/upstream 404/);
});
