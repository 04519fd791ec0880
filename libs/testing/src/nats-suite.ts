import { describe } from 'vitest';
import { findNatsServerBinary, startNatsServer } from './nats-server.js';

const MISSING = 'no nats-server binary (Debian package nats-server, or NATS_SERVER_BIN) and no NATS_URL';

/** A NATS server for one suite: our own on a free port when the binary is here, otherwise the one at NATS_URL. */
export interface NatsForTests {
  readonly url: string;
  /** True when the suite started the server itself (and may stop, kill or restart it). */
  readonly owned: boolean;
  dispose(): Promise<void>;
}

export async function natsForTests(): Promise<NatsForTests> {
  if (findNatsServerBinary()) {
    const server = await startNatsServer();
    return { url: server.url, owned: true, dispose: () => server.dispose() };
  }
  const url = process.env.NATS_URL;
  if (!url) throw new Error(MISSING);
  return { url, owned: false, dispose: async () => undefined };
}

/**
 * Declares a suite that needs a real NATS server. Without one it is skipped with a loud reason, unless
 * `REQUIRE_NATS=1` (as CI sets it), where the missing server fails the run instead.
 * Suites that stop or kill servers pass `{ needsBinary: true }`: a shared server at NATS_URL will not do.
 */
export function describeWithNats(name: string, body: () => void, { needsBinary = false } = {}): void {
  const available = Boolean(findNatsServerBinary()) || (!needsBinary && Boolean(process.env.NATS_URL));
  if (available) {
    describe(name, body);
    return;
  }
  const reason = needsBinary ? 'no nats-server binary (Debian package nats-server, or NATS_SERVER_BIN)' : MISSING;
  if (process.env.REQUIRE_NATS === '1') {
    describe(name, () => {
      throw new Error(`REQUIRE_NATS=1 but ${reason}`);
    });
    return;
  }
  console.warn(`\n!!! SKIPPED "${name}": ${reason}. Set REQUIRE_NATS=1 to make this a failure.\n`);
  describe.skip(`${name} [skipped: ${reason}]`, body);
}
