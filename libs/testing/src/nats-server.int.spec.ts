import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startNatsServer } from './nats-server.js';
import { describeWithNats } from './nats-suite.js';

describeWithNats(
  'startNatsServer',
  () => {
    it('starts a server on a free port that can be stopped and started again on the same store', async () => {
      const server = await startNatsServer();
      expect(await greets(server.port)).toMatch(/^INFO /);
      await server.stop();
      const again = await startNatsServer({ port: server.port, storeDir: server.storeDir });
      expect(again.storeDir).toBe(server.storeDir);
      expect(await greets(again.port)).toMatch(/"jetstream":true/);
      await again.dispose();
    });
  },
  { needsBinary: true },
);

function greets(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', reject);
  });
}
