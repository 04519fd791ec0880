import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Response } from 'express';
import { Arns } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { REST_PRINCIPAL_NAME } from '../http/request-meta.js';
import { AWS_PATH, type AwsRequest } from './aws-body.middleware.js';
import { credentialScope } from './aws-credential-scope.js';
import { AwsException, awsErrorFor } from './aws-errors.js';
import { decodeBody } from './aws-input.js';
import { sendAwsError, sendAwsJson } from './aws-response.js';
import { EcsOperations } from './ecs/ecs-operations.js';

/**
 * The AWS JSON 1.1 protocol (spec 5): `POST /` with `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`,
 * so the AWS SDKs and CLI work against daemonfleet unchanged. Each request acts in the account and region of its
 * credential scope. Every answer, errors included, carries `x-amzn-RequestId` and the protocol's media type;
 * client errors are 400 `{"__type", "message"}`, ServerException 500.
 */
@Controller()
export class AwsJsonController {
  constructor(
    private readonly ecs: EcsOperations,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post(AWS_PATH)
  @ApiExcludeEndpoint()
  async handle(@Req() request: AwsRequest, @Res() response: Response): Promise<void> {
    const requestId = request.awsRequestId ?? String(request.id);
    try {
      const target = request.headers['x-amz-target'];
      const operation = this.ecs.forTarget(typeof target === 'string' ? target : undefined);
      if (!operation) throw new AwsException('UnknownOperationException', `Unknown operation: ${typeof target === 'string' ? target.slice(0, 256) : 'no X-Amz-Target header'}`);
      // The body reader mounted ahead of the body parsers (bootstrap-gateway.ts) leaves the raw body.
      if (request.awsBody === undefined) throw new Error('the AWS body reader is not mounted');
      const body = decodeBody(request.awsBody);
      const scope = credentialScope(request.headers.authorization, this.config.defaultScope);
      const meta = { correlationId: String(request.id), scope, principalArn: Arns.iamUser(scope.accountId, REST_PRINCIPAL_NAME) };
      sendAwsJson(response, requestId, 200, await operation(body, { scope, meta }));
    } catch (error) {
      sendAwsError(response, requestId, awsErrorFor(error));
    }
  }
}
