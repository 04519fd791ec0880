import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DEPLOYMENT_ID_PATTERN } from '@daemonfleet/domain';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { presentDeployment } from '../presenters/deployment.presenter.js';
import { DaemonQueries } from '../read-models/daemon.queries.js';

/** Which version of the deployment's stream an answer reflects: GET …/state?atVersion= that number answers the same. */
export const DEPLOYMENT_VERSION_HEADER = 'x-daemonfleet-deployment-version';

@ApiTags('deployments')
@Controller('v1/deployments')
export class DeploymentsController {
  constructor(private readonly daemons: DaemonQueries) {}

  @Get(':deploymentId')
  @ApiOperation({ summary: 'DescribeDaemonDeployments, for one deployment (its id is the last segment of its ARN); a removed daemon’s too' })
  @ApiHeader({ name: DEPLOYMENT_VERSION_HEADER, description: 'The version of the deployment’s event stream the answer reflects.' })
  async describe(@Param('deploymentId') deploymentId: string, @Res({ passthrough: true }) response: Response) {
    if (!DEPLOYMENT_ID_PATTERN.test(deploymentId)) throw new RequestValidationError('deploymentId', 'deploymentId must be 16 to 32 letters or digits');
    const found = await this.daemons.deploymentAtVersion(deploymentId);
    if (!found) throw new PathResourceNotFound('ClientException', `Daemon deployment not found: ${deploymentId}`);
    response.setHeader(DEPLOYMENT_VERSION_HEADER, String(found.version));
    return { daemonDeployment: presentDeployment(found.deployment, this.daemons.deploymentCounts(found.deployment)) };
  }
}
