import { setTimeout as sleep } from 'node:timers/promises';
import { progressLine } from '../format/progress-bar.js';
import { timelineHeader, timelineLines } from '../format/timeline.js';
import type { TimelineEvent } from '../http/gateway-api.js';
import { GatewayError, type GatewayClient } from '../http/gateway-client.js';
import type { Terminal } from '../terminal/terminal.js';

/** A lost connection is retried this many times in a row, resuming after the last event received. */
const RECONNECTS = 10;
const RECONNECT_DELAY_MS = 1_000;

/**
 * `watch <id>`: the deployment's events as they happen, one timeline line each, under a progress bar (batches
 * done, instances on the revision moved to, failures against the breaker's threshold), until it finishes. Answers
 * the status it finished with. The gateway sends the events already there first, so a late watch tells the story
 * from the start.
 */
export async function watchDeployment(client: GatewayClient, terminal: Terminal, deploymentId: string): Promise<string> {
  terminal.print(`Watching deployment ${deploymentId} (Ctrl-C to stop watching; the deployment goes on).`, '', timelineHeader());
  let lastEventId: string | undefined;
  for (let failures = 0; ; ) {
    try {
      for await (const message of client.watch(deploymentId, lastEventId)) {
        if (message.event === 'end') return (JSON.parse(message.data) as { status: string }).status;
        if (message.event === 'error') throw new Error((JSON.parse(message.data) as { message: string }).message);
        if (message.event !== 'message') continue;
        const event = JSON.parse(message.data) as TimelineEvent;
        lastEventId = message.id;
        failures = 0;
        terminal.print(...timelineLines(event, terminal.width));
        if (event.progress) terminal.status(progressLine(event.progress));
      }
      throw new Error('the gateway closed the stream before the deployment finished');
    } catch (error) {
      // A deployment that does not exist, or a request refused, will not get better by asking again.
      if (error instanceof GatewayError && error.status >= 400 && error.status < 500) throw error;
      if (++failures > RECONNECTS) throw error;
      terminal.print(`(connection lost: ${error instanceof Error ? error.message : String(error)}; resuming after version ${lastEventId ?? 0})`);
      await sleep(RECONNECT_DELAY_MS);
    }
  }
}
