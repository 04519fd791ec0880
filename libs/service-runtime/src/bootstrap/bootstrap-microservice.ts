import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { microserviceOptions, RpcErrorFilter } from '@daemonfleet/messaging';
import { Logger } from 'nestjs-pino';
import { createValidationPipe } from '../validation/validation-pipe.js';
import type { ServiceInfrastructure } from './infrastructure.js';

/**
 * Starts one service as a Nest microservice on the chosen transport, its replicas sharing the queue group named
 * after the service. Every message is validated against its DTO and every error answered in the wire's form.
 */
export async function bootstrapMicroservice(
  module: DynamicModule,
  infrastructure: ServiceInfrastructure,
  serviceName: string,
): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    ...microserviceOptions(infrastructure.transport, serviceName),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new RpcErrorFilter());
  await app.listen();
  return app;
}
