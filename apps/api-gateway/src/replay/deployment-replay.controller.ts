import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEPLOYMENT_ID_PATTERN, InvalidParameter } from '@daemonfleet/domain';
import type { EventStore } from '@daemonfleet/event-store';
import { EVENT_STORE, RequestValidationError, SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { PathResourceNotFound } from '../http/ecs-errors.js';
import { NextTokens } from '../pagination/next-token.js';
import { deploymentProgress } from './deployment-progress.js';
import { replayDeployment, type ReplayStep } from './deployment-replay.js';
import { presentDeploymentState, presentReplayStep } from './replay.presenter.js';
import { DeploymentEventsQuery, DeploymentStateQuery } from './replay-queries.dto.js';

/**
 * Time travel over one deployment: its events in order, and the deployment as it was after any of them. Both
 * read the deployment's own stream in the store (not the read models) and fold it with the orchestrator's evolve,
 * so they answer the same whichever gateway replica is asked and however far its read models are.
 */
@ApiTags('replay')
@Controller('v1/deployments')
export class DeploymentReplayController {
  private readonly nextTokens: NextTokens;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  @Get(':deploymentId/events')
  @ApiOperation({ summary: 'The deployment’s events in order, each with what it means in words; paged, filtered by type and version range' })
  async events(@Param('deploymentId') deploymentId: string, @Query() query: DeploymentEventsQuery) {
    checkId(deploymentId);
    const { nextToken, maxResults = 100, ...filters } = query;
    const operation = `DeploymentEvents ${deploymentId}`;
    const from = nextToken === undefined ? (filters.fromVersion ?? 1) : Number(this.nextTokens.cursorOf(operation, filters, nextToken));
    const types = filters.type === undefined ? undefined : new Set(filters.type);
    const steps: ReplayStep[] = [];
    let next: number | undefined;
    const replayed = await replayDeployment(this.store, deploymentId, {
      toVersion: filters.toVersion,
      visit: (step) => {
        if (step.event.streamVersion < from || (types && !types.has(step.event.type))) return true;
        // One more match than the page holds: the next page starts there.
        if (steps.length === maxResults) {
          next = step.event.streamVersion;
          return false;
        }
        steps.push(step);
        return true;
      },
    });
    if (replayed.version === 0) throw notFound(deploymentId);
    const withState = filters.withState === 'true';
    return {
      deploymentId,
      events: steps.map((step) => presentReplayStep(step, { withState })),
      ...(next === undefined ? {} : { nextToken: this.nextTokens.cursorToken(operation, filters, String(next)) }),
    };
  }

  @Get(':deploymentId/state')
  @ApiOperation({ summary: 'The deployment rebuilt from its first atVersion events (all when absent), as DescribeDaemonDeployments showed it then' })
  async state(@Param('deploymentId') deploymentId: string, @Query() { atVersion }: DeploymentStateQuery) {
    checkId(deploymentId);
    let last: ReplayStep | undefined;
    const replayed = await replayDeployment(this.store, deploymentId, {
      toVersion: atVersion,
      visit: (step) => {
        last = step;
      },
    });
    if (replayed.version === 0 || !last || replayed.state.status === 'NONE') throw notFound(deploymentId);
    if (atVersion !== undefined && replayed.version < atVersion)
      throw new InvalidParameter('atVersion', `atVersion ${atVersion} is after the deployment’s last event (version ${replayed.version})`);
    return {
      deploymentId,
      version: replayed.version,
      event: presentReplayStep(last),
      daemonDeployment: presentDeploymentState(replayed.state),
      progress: deploymentProgress(replayed.state),
    };
  }
}

export function checkId(deploymentId: string): void {
  if (!DEPLOYMENT_ID_PATTERN.test(deploymentId)) throw new RequestValidationError('deploymentId', 'deploymentId must be 16 to 32 letters or digits');
}

export function notFound(deploymentId: string): PathResourceNotFound {
  return new PathResourceNotFound('ClientException', `Daemon deployment not found: ${deploymentId}`);
}
