import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createValidationPipe, type ServiceInfrastructure } from '@daemonfleet/service-runtime';
import { Logger } from 'nestjs-pino';
import { awsBodyReader } from './aws/aws-body.middleware.js';
import { ApiGatewayModule } from './gateway.module.js';
import { HttpExceptionFilter } from './http/http-exception.filter.js';

/** Bodies over this are refused before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Starts the gateway's HTTP server on `port` (0 picks a free one), with the OpenAPI document at /docs. */
export async function startApiGateway(infrastructure: ServiceInfrastructure, { port = infrastructure.config.port, host = '0.0.0.0' } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiGatewayModule.register(infrastructure), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  // The AWS protocols' endpoint reads its own bodies (any content type), ahead of the REST API's JSON parser.
  app.use(awsBodyReader(MAX_BODY_BYTES));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('daemonfleet')
      .setDescription('Daemon rolling deployments in the model of Amazon ECS Managed Daemons. Timestamps are epoch seconds; errors are {"__type": "<ECS exception>", "message": "..."}.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(port, host);
  return app;
}
