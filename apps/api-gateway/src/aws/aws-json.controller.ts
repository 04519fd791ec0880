import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { Arns } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { REST_PRINCIPAL_NAME } from '../http/request-meta.js';
import { AWS_PATH, type AwsRequest } from './aws-body.middleware.js';
import { credentialScope } from './aws-credential-scope.js';
import { AwsException } from './aws-errors.js';
import type { AwsProtocol, AwsService } from './aws-protocol.js';
import { awsProtocolFor } from './aws-protocols.js';
import { sendAwsError, sendAwsJson } from './aws-response.js';
import { CloudWatchOperations } from './cloudwatch/cloudwatch-operations.js';
import { EcsOperations } from './ecs/ecs-operations.js';

/**
 * The AWS JSON protocols at one endpoint, `POST /`, each service's chosen by the prefix of the X-Amz-Target:
 * `AmazonEC2ContainerServiceV20141113.<Operation>` (ECS, JSON 1.1, spec 5) and `GraniteServiceVersion20100801.<Operation>`
 * (CloudWatch, JSON 1.0), so the AWS SDKs and CLI work against daemonfleet unchanged. Each request acts in the account
 * and region of its credential scope. Every answer, errors included, carries `x-amzn-RequestId` and its protocol's
 * media type; errors are `{"__type", "message"}` with the status and headers the protocol gives them.
 */
@Controller()
export class AwsJsonController {
  private readonly services: ReadonlyMap<AwsProtocol, AwsService>;

  constructor(
    ecs: EcsOperations,
    cloudWatch: CloudWatchOperations,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.services = new Map([ecs, cloudWatch].map((service) => [service.protocol, service]));
  }

  @Post(AWS_PATH)
  @ApiExcludeEndpoint()
  async handle(@Req() request: AwsRequest, @Res() response: Response): Promise<void> {
    const requestId = request.awsRequestId ?? String(request.id);
    const header = request.headers['x-amz-target'];
    const target = typeof header === 'string' ? header : undefined;
    // A target that names no service is answered in the first protocol's terms (ECS's).
    const protocol = awsProtocolFor(target);
    try {
      const name = target?.startsWith(protocol.targetPrefix) ? target.slice(protocol.targetPrefix.length) : undefined;
      const operation = name === undefined ? undefined : this.services.get(protocol)?.operation(name);
      if (!operation) throw new AwsException('UnknownOperationException', `Unknown operation: ${target === undefined ? 'no X-Amz-Target header' : target.slice(0, 256)}`);
      // The body reader mounted ahead of the body parsers (bootstrap-gateway.ts) leaves the raw body.
      if (request.awsBody === undefined) throw new Error('the AWS body reader is not mounted');
      const body = protocol.decode(request.awsBody, request.headers);
      const scope = credentialScope(request.headers.authorization, this.config.defaultScope);
      const meta = { correlationId: String(request.id), scope, principalArn: Arns.iamUser(scope.accountId, REST_PRINCIPAL_NAME) };
      sendAwsJson(response, requestId, protocol.mediaType, 200, await operation(body, { scope, meta }));
    } catch (error) {
      sendAwsError(response, requestId, protocol.mediaType, protocol.errorFor(error));
    }
  }
}
