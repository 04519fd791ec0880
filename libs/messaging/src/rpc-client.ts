import { ErrorCode } from '@daemonfleet/contracts';
import { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom, takeLast, throwError, timeout } from 'rxjs';
import { InProcessClient } from './in-process.client.js';
import { NatsClientProxy } from './nats.client.js';
import {
  isErrorPayload,
  NoRespondersError,
  RemoteError,
  RequestTimeoutError,
  TransportError,
  type RpcRequestError,
} from './rpc.errors.js';
import { natsConnectionOptions, type TransportConfig } from './transport.config.js';

/**
 * Sends commands and queries to other services, whichever the transport. `request` resolves with the reply or
 * rejects with an `RpcRequestError`: `RemoteError` (the service answered with an error), `RequestTimeoutError`,
 * `NoRespondersError` or `TransportError`.
 */
export interface RpcClient {
  request<TReply>(subject: string, payload: unknown, options?: { timeoutMs?: number }): Promise<TReply>;
  /** Resolves while requests can be sent; otherwise rejects with a `TransportError` that says why. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

export interface RpcClientOptions {
  /** Bound on a whole request (send, handling, reply) when the call gives none. */
  readonly defaultTimeoutMs: number;
}

export function createRpcClient(transport: TransportConfig, options: RpcClientOptions): RpcClient {
  switch (transport.kind) {
    case 'in-process':
      // The bus is in this process: it is healthy as long as the process is.
      return new ClientProxyRpcClient(new InProcessClient(transport.bus), options, async () => undefined);
    case 'nats': {
      // No `waitOnFirstConnect`: while NATS is unreachable, requests fail fast and the next one tries again.
      const proxy = new NatsClientProxy(natsConnectionOptions(transport));
      return new ClientProxyRpcClient(proxy, options, () => proxy.checkConnection(options.defaultTimeoutMs));
    }
  }
}

class ClientProxyRpcClient implements RpcClient {
  /** Once closed, a client stays closed (ClientNats alone would quietly open a new connection on the next send). */
  private closed = false;

  constructor(
    private readonly proxy: Pick<ClientProxy, 'send' | 'close'>,
    private readonly options: RpcClientOptions,
    private readonly checkTransport: () => Promise<void>,
  ) {}

  async request<TReply>(subject: string, payload: unknown, { timeoutMs = this.options.defaultTimeoutMs } = {}): Promise<TReply> {
    if (this.closed) throw new TransportError(`client closed: not sending "${subject}"`);
    // Nest's ClientProxy refuses nil data; say so here rather than with its generic InvalidMessageException.
    if (payload === undefined || payload === null) throw new TypeError(`request to "${subject}" needs a payload (use {} for none)`);
    const reply$ = this.proxy.send<TReply>(subject, payload).pipe(
      // The reply is the stream's last value; `takeLast` makes the bound cover the whole exchange.
      takeLast(1),
      timeout({ first: timeoutMs, with: () => throwError(() => new RequestTimeoutError(subject, timeoutMs)) }),
    );
    try {
      // A handler that returns nothing completes the stream without a value.
      return await lastValueFrom(reply$, { defaultValue: undefined as TReply });
    } catch (error) {
      throw toRpcRequestError(subject, error);
    }
  }

  async checkHealth(): Promise<void> {
    if (this.closed) throw new TransportError('client closed');
    await this.checkTransport();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.proxy.close();
  }
}

/**
 * Our own errors come from the bus, the NATS proxy and the timeout; remote errors arrive as the plain objects the
 * service's filter sent (JSON carries no classes); any other `Error` or string (e.g. ClientNats' "Connection
 * lost" while reconnecting) is the transport failing.
 */
function toRpcRequestError(subject: string, error: unknown): RpcRequestError {
  if (error instanceof RequestTimeoutError || error instanceof NoRespondersError || error instanceof TransportError) return error;
  if (error instanceof Error) return new TransportError(error.message, { cause: error });
  if (isErrorPayload(error)) return new RemoteError(subject, error);
  // A service without our filter answers with Nest's `{ status: 'error', message }`.
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return new RemoteError(subject, { code: ErrorCode.Internal, message: (error as { message: string }).message });
  }
  return new TransportError(String(error), { cause: error });
}
