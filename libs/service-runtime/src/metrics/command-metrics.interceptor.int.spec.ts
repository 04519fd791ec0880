import { Controller, Get, Module, Param, type DynamicModule, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode } from '@daemonfleet/contracts';
import { createMemoryEventStore } from '@daemonfleet/event-store';
import { createRpcClient, InProcessBus, microserviceOptions, RpcErrorFilter, type RpcClient } from '@daemonfleet/messaging';
import { afterEach, describe, expect, it } from 'vitest';
import { infrastructureProviders, type ServiceInfrastructure } from '../bootstrap/infrastructure.js';
import { randomIds, systemClock } from '../clock/clock.js';
import { loadConfig } from '../config/service-config.js';
import { ServiceMetrics } from './service-metrics.js';

describe('commands handled: the interceptor every service module gets from infrastructureProviders', () => {
  const closing: (INestMicroservice | INestApplication | RpcClient)[] = [];
  afterEach(async () => {
    for (const closable of closing.splice(0).reverse()) await closable.close();
  });

  it('counts each message a microservice handled by its subject, with ok or the error code as outcome', async () => {
    const { metrics, rpc } = await startMicroservice();
    await rpc.request('test.command.Work', { data: { fail: false } });
    await rpc.request('test.command.Work', { data: { fail: false } });
    await expect(rpc.request('test.command.Work', { data: { fail: true } })).rejects.toMatchObject({ code: ErrorCode.DaemonNotFound });
    await expect(rpc.request('test.command.Crash', { data: {} })).rejects.toMatchObject({ code: ErrorCode.Internal });
    expect(await counts(metrics)).toEqual({
      'test.command.Work ok': 2,
      'test.command.Work DAEMON_NOT_FOUND': 1,
      'test.command.Crash INTERNAL': 1,
    });
  });

  it('counts each HTTP request the gateway handled by method and route, never by the path a caller sent', async () => {
    const metrics = new ServiceMetrics({ service: 'api-gateway' });
    const app = await NestFactory.create(HttpModule.register(infrastructure(metrics)), { logger: false });
    closing.push(app);
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    await fetch(`${url}/things/a`);
    await fetch(`${url}/things/b`);
    expect(await counts(metrics)).toEqual({ 'GET /things/:id ok': 2 });
  });

  async function startMicroservice() {
    const metrics = new ServiceMetrics({ service: 'test' });
    const bus = new InProcessBus();
    const service = await NestFactory.createMicroservice(MessagesModule.register(infrastructure(metrics, bus)), { ...microserviceOptions({ kind: 'in-process', bus }, 'test'), logger: false });
    service.useGlobalFilters(new RpcErrorFilter());
    await service.listen();
    const rpc = createRpcClient({ kind: 'in-process', bus }, { defaultTimeoutMs: 2_000 });
    closing.push(service, rpc);
    return { metrics, rpc };
  }
});

// Fixtures last.
class DaemonNotFound extends Error {
  readonly code = ErrorCode.DaemonNotFound;
}

@Controller()
class WorkController {
  @MessagePattern('test.command.Work')
  work(@Payload('data') data: { fail: boolean }) {
    if (data.fail) throw new DaemonNotFound('no such daemon');
    return { done: true };
  }

  @MessagePattern('test.command.Crash')
  crash(): never {
    throw new Error('a bug');
  }
}

@Controller('things')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string) {
    return { id };
  }
}

@Module({})
class MessagesModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return { module: MessagesModule, controllers: [WorkController], providers: infrastructureProviders(infrastructure) };
  }
}

@Module({})
class HttpModule {
  static register(infrastructure: ServiceInfrastructure): DynamicModule {
    return { module: HttpModule, controllers: [ThingsController], providers: infrastructureProviders(infrastructure) };
  }
}

function infrastructure(metrics: ServiceMetrics, bus = new InProcessBus()): ServiceInfrastructure {
  return { processName: 'test', config: loadConfig({}), eventStore: createMemoryEventStore(), transport: { kind: 'in-process', bus }, clock: systemClock, ids: randomIds, metrics };
}

async function counts(metrics: ServiceMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.commandsHandled.get();
  return Object.fromEntries(values.map((v) => [`${v.labels.command} ${v.labels.outcome}`, v.value]));
}
