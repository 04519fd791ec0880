import { Streams } from '@daemonfleet/contracts';
import { isTerminal, type DeploymentState } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import type { Response } from 'express';
import type { ReadModelFeed } from '../read-models/read-model-feed.js';
import { foldDeploymentEvent, replayDeployment, REPLAY_PAGE, type ReplayStep } from './deployment-replay.js';
import { presentReplayStep } from './replay.presenter.js';

/** A comment line every so often keeps proxies and clients from timing an idle stream out. */
export const HEARTBEAT_MS = 15_000;

/**
 * One client following one deployment over server-sent events. Each event of the deployment is one SSE message:
 * `id` its stream version (a client resumes with Last-Event-ID: the messages after that version follow), `data`
 * the replay API's step with the deployment after it and its progress. Once the deployment is finished, an `end`
 * message says so and the stream closes.
 *
 * How it stays complete and in order: the gateway's read-model feed only says that the deployment's stream moved
 * (level-triggered); every message comes from reading the stream itself after the last version sent. A change
 * during a read makes one more read. So no event is skipped, repeated or reordered, whichever events the feed
 * delivered while the history was sent, and a rebuild of the read models (which replays old events) sends nothing.
 */
export class DeploymentWatch {
  private state: DeploymentState = { status: 'NONE' };
  private version = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly stopListening: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: EventStore,
    feed: ReadModelFeed,
    private readonly deploymentId: string,
    /** The version the client already has (Last-Event-ID); 0 for all. */
    private readonly after: number,
    private readonly response: Response,
    private readonly onClose: () => void,
  ) {
    const stream = Streams.daemonDeployment(deploymentId);
    this.stopListening = feed.onEvent((event) => {
      if (event.streamId === stream) this.catchUp();
    });
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
    response.on('close', () => this.close());
  }

  /** Sends the history after `after`, then follows. */
  async start(): Promise<void> {
    this.response.status(200);
    this.response.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    this.response.flushHeaders();
    try {
      const replayed = await replayDeployment(this.store, this.deploymentId, { visit: (step) => this.send(step) });
      this.state = replayed.state;
      this.version = replayed.version;
    } catch (error) {
      return this.fail(error);
    }
    this.endIfFinished();
    this.catchUp();
  }

  /** Ends the stream (the client left, the deployment finished, or the gateway stops). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.stopListening();
    if (!this.response.writableEnded) this.response.end();
    this.onClose();
  }

  /** Reads what the stream holds after the last version sent; coalesces the triggers that come meanwhile. */
  private catchUp(): void {
    if (this.closed || this.version === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNewer()
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.catchUp();
        }
      });
  }

  private async readNewer(): Promise<void> {
    const stream = Streams.daemonDeployment(this.deploymentId);
    for (;;) {
      if (this.closed) return;
      const page = await this.store.readStream(stream, { fromVersion: this.version + 1, maxCount: REPLAY_PAGE });
      for (const event of page) {
        const before = this.state;
        this.state = foldDeploymentEvent(before, event);
        this.version = event.streamVersion;
        this.send({ event, before, after: this.state });
      }
      if (page.length < REPLAY_PAGE) break;
    }
    this.endIfFinished();
  }

  /** The headers are sent: a failure can only be told in the stream. The client resumes with Last-Event-ID. */
  private fail(error: unknown): void {
    this.write(`event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`);
    this.close();
  }

  private send(step: ReplayStep): void {
    if (step.event.streamVersion <= this.after) return;
    this.write(`id: ${step.event.streamVersion}\ndata: ${JSON.stringify(presentReplayStep(step, { withState: true }))}\n\n`);
  }

  private endIfFinished(): void {
    if (this.closed || !isTerminal(this.state) || this.state.status === 'NONE') return;
    this.write(`event: end\ndata: ${JSON.stringify({ version: this.version, status: this.state.status })}\n\n`);
    this.close();
  }

  private write(text: string): void {
    if (!this.closed && !this.response.writableEnded) this.response.write(text);
  }
}
