import { Inject, Injectable } from '@nestjs/common';
import type { MessageMeta, ReplyOf, RequestOf, Subject } from '@daemonfleet/contracts';
import { RPC_CLIENT, type RpcClient } from '@daemonfleet/messaging';
import { ServiceClient } from '@daemonfleet/service-runtime';
import { ReadModelFeed } from '../read-models/read-model-feed.js';

/**
 * Sends a command to the service that owns it and, before answering, lets the read models catch up with what
 * it wrote, so the response and any later query reflect it.
 */
@Injectable()
export class GatewayCommands {
  private readonly client: ServiceClient;

  constructor(
    @Inject(RPC_CLIENT) rpc: RpcClient,
    private readonly feed: ReadModelFeed,
  ) {
    this.client = new ServiceClient(rpc);
  }

  async send<S extends Subject>(subject: S, data: RequestOf<S>, meta: MessageMeta): Promise<ReplyOf<S>> {
    const reply = await this.client.send(subject, data, meta);
    await this.feed.fresh();
    return reply;
  }

  ping(subject: Subject, meta: MessageMeta, timeoutMs: number): Promise<unknown> {
    return this.client.send(subject as never, {} as never, meta, { timeoutMs });
  }

  checkTransport(): Promise<void> {
    return this.client.checkHealth();
  }
}
