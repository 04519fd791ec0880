import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createRpcClient, type RpcClient, type RpcClientOptions } from './rpc-client.js';
import { RPC_CLIENT } from './rpc-client.di-tokens.js';
import type { TransportConfig } from './transport.config.js';

/**
 * Provides an `RpcClient` under `RPC_CLIENT` and closes it when the application shuts down (after the
 * `beforeApplicationShutdown` hooks, so they may still send requests).
 */
@Module({})
export class RpcClientModule implements OnApplicationShutdown {
  constructor(@Inject(RPC_CLIENT) private readonly client: RpcClient) {}

  static register(transport: TransportConfig, options: RpcClientOptions): DynamicModule {
    return {
      module: RpcClientModule,
      providers: [{ provide: RPC_CLIENT, useFactory: () => createRpcClient(transport, options) }],
      exports: [RPC_CLIENT],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
