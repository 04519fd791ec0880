import { CustomTransportStrategy, NatsContext, Server, WritePacket } from '@nestjs/microservices';
import type { InProcessBus } from './in-process.bus.js';

/** Identifies the in-process transport to Nest (e.g. for processing hooks); NATS has `Transport.NATS`. */
export const IN_PROCESS_TRANSPORT = Symbol('in-process');

/**
 * The server half of the in-process transport: subscribes every `@MessagePattern` handler of one Nest application
 * on the bus, in the application's queue group (or the handler's own `queue` extra, as `ServerNats` allows), and
 * answers each request with one Nest response packet.
 *
 * Packets have the shapes `ServerNats` exchanges: the request `{ pattern, data, id }`, the reply
 * `{ id, response, isDisposed: true }` or `{ id, err, isDisposed: true }`, where `err` is whatever the exception
 * filter threw (our `RpcErrorFilter` makes it `{ code, message, details? }`). A handler that returns a stream
 * replies with the stream's last value: the bus carries one reply per request.
 */
export class InProcessServer extends Server implements CustomTransportStrategy {
  override transportId = IN_PROCESS_TRANSPORT;
  private unsubscribes: Array<() => void> = [];

  constructor(
    private readonly bus: InProcessBus,
    private readonly queueGroup: string,
  ) {
    super();
    this.initializeSerializer(undefined);
    this.initializeDeserializer(undefined);
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        if (handler.isEventHandler) {
          throw new Error(
            `@EventPattern(${pattern}) is not supported: services learn of each other's events from the event store, not from transport events`,
          );
        }
        const queueGroup = (handler.extras?.queue as string | undefined) ?? this.queueGroup;
        this.unsubscribes.push(this.bus.subscribe(pattern, queueGroup, (raw, subject) => this.handleMessage(pattern, subject, raw)));
      }
    } catch (error) {
      this.close();
      callback(error);
      return;
    }
    this._status$.next('connected');
    callback();
  }

  /** Stops taking requests. Requests already delivered still get their reply. */
  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('InProcessServer has no transport events; observe `status` instead');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async handleMessage(channel: string, subject: string, raw: unknown): Promise<unknown> {
    const packet = await this.deserializer.deserialize(raw, { channel });
    if (!('id' in packet) || packet.id === undefined) {
      throw new Error(`request on "${subject}" is not a Nest packet with an id; send it with InProcessClient`);
    }
    const handler = this.getHandlerByPattern(channel);
    if (!handler) throw new Error(`no handler for "${channel}"`);
    // The NATS context type, so that a handler reading `@Ctx()` works on both transports. No headers in-process.
    const context = new NatsContext([subject, undefined]);

    const { id } = packet;

    return new Promise((resolve, reject) => {
      let lastResponse: unknown;
      const respond = (written: WritePacket): void => {
        if (written.err !== undefined) {
          resolve(this.serializer.serialize({ id, err: written.err, isDisposed: true }));
          return;
        }
        if ('response' in written) lastResponse = written.response;
        if (written.isDisposed) resolve(this.serializer.serialize({ id, response: lastResponse, isDisposed: true }));
      };
      const produce = async () => this.transformToObservable(await handler(packet.data, context));
      // Typed `void`, but it returns the processing hook's promise, which rejects when the handler could not even
      // produce a response stream. ServerNats catches it the same way; uncaught, it would kill the process.
      const started: unknown = this.handleRequest(context, produce, respond);
      Promise.resolve(started).catch(reject);
    });
  }
}
