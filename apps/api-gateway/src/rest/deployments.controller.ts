import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEPLOYMENT_ID_PATTERN } from '@daemonfleet/domain';
import { RequestValidationError } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { presentDeployment } from '../presenters/deployment.presenter.js';
import { DaemonQueries } from '../read-models/daemon.queries.js';

@ApiTags('deployments')
@Controller('v1/deployments')
export class DeploymentsController {
  constructor(private readonly daemons: DaemonQueries) {}

  @Get(':deploymentId')
  @ApiOperation({ summary: 'DescribeDaemonDeployments, for one deployment (its id is the last segment of its ARN); a removed daemon’s too' })
  async describe(@Param('deploymentId') deploymentId: string) {
    if (!DEPLOYMENT_ID_PATTERN.test(deploymentId)) throw new RequestValidationError('deploymentId', 'deploymentId must be 16 to 32 letters or digits');
    const deployment = await this.daemons.deployment(deploymentId);
    if (!deployment) throw new PathResourceNotFound('ClientException', `Daemon deployment not found: ${deploymentId}`);
    return { daemonDeployment: presentDeployment(deployment, this.daemons.deploymentCounts(deployment)) };
  }
}
