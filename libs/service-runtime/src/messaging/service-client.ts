import type { MessageMeta, ReplyOf, RequestOf, Subject } from '@daemonfleet/contracts';
import type { RpcClient } from '@daemonfleet/messaging';

/** Typed requests to the other services: the subject decides the payload and reply types (contracts' map). */
export class ServiceClient {
  constructor(private readonly rpc: RpcClient) {}

  send<S extends Subject>(subject: S, data: RequestOf<S>, meta: MessageMeta, options?: { timeoutMs?: number }): Promise<ReplyOf<S>> {
    return this.rpc.request<ReplyOf<S>>(subject, { data, meta }, options);
  }

  checkHealth(): Promise<void> {
    return this.rpc.checkHealth();
  }
}
