import { ClientNats, PacketId, ReadPacket, WritePacket } from '@nestjs/microservices';
import { NoRespondersError, TransportError } from './rpc.errors.js';

/**
 * Nest's `ClientNats` with the two behaviours our `RpcClient` needs: "no responders" reported as
 * `NoRespondersError`, and a health check. Transport events are refused, as on the in-process client.
 */
export class NatsClientProxy extends ClientNats {
  override createSubscriptionHandler(packet: ReadPacket & PacketId, callback: (packet: WritePacket) => unknown) {
    const handleReply = super.createSubscriptionHandler(packet, callback);
    const subject = this.normalizePattern(packet.pattern);
    return async (error: Error | null, natsMsg: Record<string, unknown>) => {
      // The server answers a request that nobody subscribes to at once, with an empty 503 status message (nats.js
      // announces `no_responders` when it connects). ClientNats would call that an "empty response".
      if (!error && isNoRespondersStatus(natsMsg)) return callback({ err: new NoRespondersError(subject), isDisposed: true });
      return handleReply(error, natsMsg);
    };
  }

  override emit(pattern: unknown, _data?: unknown): never {
    throw new Error(`emit(${JSON.stringify(pattern)}) is not supported: publish events to the event store`);
  }

  /** Resolves when the connection is up and the server answers a PING within `boundMs`. */
  async checkConnection(boundMs: number): Promise<void> {
    try {
      // While reconnecting, ClientNats' connect() rejects at once (with a string) instead of queueing requests.
      const connection = (await withDeadline(this.connect(), boundMs, 'not connected')) as { isClosed(): boolean; flush(): Promise<void> };
      if (connection.isClosed()) throw new Error('connection closed');
      await withDeadline(connection.flush(), boundMs, 'no PONG from the server');
    } catch (error) {
      throw new TransportError(`NATS: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

function isNoRespondersStatus(natsMsg: Record<string, unknown>): boolean {
  const { data, headers } = natsMsg as { data?: Uint8Array; headers?: { code?: number } };
  return data?.length === 0 && headers?.code === 503;
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
