import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import type { InProcessBus } from './in-process.bus.js';

/**
 * The client half of the in-process transport: `send(subject, data)` is a request on the bus, answered by an
 * `InProcessServer`. Like `ClientNats` it sets no timeout of its own (callers bound the observable; `RpcClient`
 * does) and unsubscribing abandons the request.
 *
 * Errors arrive as `ClientNats` delivers them: the remote `err` as it was sent, or the bus's own
 * `NoRespondersError`.
 */
export class InProcessClient extends ClientProxy {
  constructor(private readonly bus: InProcessBus) {
    super();
    this.initializeSerializer(undefined);
    this.initializeDeserializer(undefined);
    this._status$.next('connected');
  }

  /** Nothing to connect: the bus lives in this process. */
  async connect(): Promise<void> {}

  /** The bus is shared by the process and outlives its clients: nothing to close. */
  close(): void {}

  unwrap<T>(): T {
    return this.bus as T;
  }

  /** Transport events are not part of this system: services learn of events from the event store. */
  override emit(pattern: unknown, _data?: unknown): never {
    throw new Error(`emit(${JSON.stringify(pattern)}) is not supported: publish events to the event store`);
  }

  protected publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const packet = this.assignPacketId(partialPacket);
    const subject = this.normalizePattern(packet.pattern);
    const abandon = new AbortController();
    this.bus
      .request(subject, this.serializer.serialize(packet), { signal: abandon.signal })
      .then((reply) => this.deserializer.deserialize(reply))
      .then(
        (message) => callback({ err: message.err, response: message.response, isDisposed: true }),
        (error: unknown) => {
          if (!abandon.signal.aborted) callback({ err: error, isDisposed: true });
        },
      );
    return () => abandon.abort();
  }

  protected dispatchEvent(): Promise<never> {
    return Promise.reject(new Error('transport events are not supported: publish events to the event store'));
  }
}
