import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Arns } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NamePipe } from '../http/name.pipe.js';
import { HttpRequest, requestMeta } from '../http/request-meta.js';
import { presentDaemonRevision } from '../presenters/daemon.presenter.js';
import { DaemonQueries } from '../read-models/daemon.queries.js';
import { daemonHistory } from './path-resources.js';

@ApiTags('daemons')
@Controller('v1/daemon-revisions')
export class DaemonRevisionsController {
  constructor(
    private readonly daemons: DaemonQueries,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get(':cluster/:daemon/:revisionId')
  @ApiOperation({ summary: 'DescribeDaemonRevisions, for one revision (its id is the last segment of its ARN); a removed daemon’s too' })
  async describe(
    @Param('cluster', new NamePipe('cluster')) cluster: string,
    @Param('daemon', new NamePipe('daemon')) name: string,
    @Param('revisionId') revisionId: string,
    @HttpRequest() request: Request,
  ) {
    const { scope } = requestMeta(request, this.config);
    const daemon = await daemonHistory(this.daemons, { scope, clusterName: cluster, daemonName: name });
    const revision = daemon.revisions.find((r) => r.revisionId === revisionId);
    if (!revision) throw new PathResourceNotFound('ClientException', `Daemon revision not found: ${Arns.daemonRevision(scope, cluster, name, revisionId)}`);
    return { daemonRevision: presentDaemonRevision(daemon, revision) };
  }
}
