import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type RunningNatsServer } from './nats-server.js';

/**
 * The credentials (a client's `user` and `pass` connect options) of the user whose acknowledgements a server of
 * `startNatsServerWithLossyAcks` loses. Connections without credentials acknowledge as usual.
 */
export const LOSSY_ACKS_USER = { user: 'lossy-acks', pass: 'lossy-acks' } as const;

/**
 * A real nats-server (JetStream, a free port, its own store) on which one user's acknowledgements of JetStream
 * messages are lost on the way: the server refuses that user every publish to `$JS.ACK.>`. A durable consumer
 * that user pulls from therefore redelivers each message once its ack wait has passed, again and again, exactly
 * as after acknowledgements lost in the network or a process that died between handling a message and acking it:
 * the way to drive a service's at-least-once handlers through the real server and consumer. Every other
 * connection (no credentials) is unaffected, so another replica sharing the consumer takes the message over.
 */
export async function startNatsServerWithLossyAcks(): Promise<RunningNatsServer> {
  const configDir = mkdtempSync(join(tmpdir(), 'daemonfleet-nats-config-'));
  const config = join(configDir, 'lossy-acks.conf');
  writeFileSync(
    config,
    [
      'authorization {',
      '  users = [',
      '    { user: "default", password: "default" }',
      `    { user: "${LOSSY_ACKS_USER.user}", password: "${LOSSY_ACKS_USER.pass}", permissions: { publish: { deny: ["$JS.ACK.>"] } } }`,
      '  ]',
      '}',
      'no_auth_user: "default"',
      '',
    ].join('\n'),
  );
  try {
    const server = await startNatsServer({ args: ['-c', config] });
    return {
      ...server,
      dispose: async () => {
        await server.dispose();
        rmSync(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
}
