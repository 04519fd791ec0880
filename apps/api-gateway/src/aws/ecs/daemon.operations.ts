import { Inject, Injectable } from '@nestjs/common';
import { CreateDaemonDto, DaemonRefDto, Streams, Subjects, UpdateDaemonDto } from '@daemonfleet/contracts';
import { Arns, resolveCapacityProviderReference, resolveClusterReference, resolveDaemonArn } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens, timeSortKey } from '../../pagination/next-token.js';
import { presentDaemon, presentDaemonCommandResult, presentDaemonSummary } from '../../presenters/daemon.presenter.js';
import { epochSeconds } from '../../presenters/epoch-seconds.js';
import { DaemonQueries } from '../../read-models/daemon.queries.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { existingCluster, existingDaemon } from '../../rest/path-resources.js';
import { operation, pagedOperation, type EcsOperationGroup, type EcsRequestContext } from './ecs-operation.js';
import { ListDaemonsRequest } from './ecs-requests.dto.js';

/** Daemons (spec 2.5 to 2.9). */
@Injectable()
export class DaemonOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly daemons: DaemonQueries,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    CreateDaemon: operation('CreateDaemon', CreateDaemonDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.orchestrator.createDaemon, input, meta);
      return { daemonArn: result.daemonArn, status: result.status, createdAt: epochSeconds(result.createdAt), deploymentArn: result.deploymentArn };
    }),

    /** Every setting is replaced; those left out return to their defaults (spec 2.6). */
    UpdateDaemon: operation('UpdateDaemon', UpdateDaemonDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.orchestrator.updateDaemon, input, meta);
      return presentDaemonCommandResult(result);
    }),

    DeleteDaemon: operation('DeleteDaemon', DaemonRefDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.orchestrator.deleteDaemon, input, meta);
      return presentDaemonCommandResult(result);
    }),

    /** An unknown cluster in the ARN is ClusterNotFoundException; an unknown or removed daemon DaemonNotFoundException (spec 2.8). */
    DescribeDaemon: operation('DescribeDaemon', DaemonRefDto, async ({ daemonArn }) => {
      const reference = resolveDaemonArn('daemonArn', daemonArn);
      await existingCluster(this.fleet, reference);
      const daemon = await existingDaemon(this.daemons, reference);
      return { daemon: presentDaemon(daemon, this.daemons.currentCounts(daemon)) };
    }),

    ListDaemons: operation('ListDaemons', ListDaemonsRequest, (input, context) => this.list(input, context)),
  };

  /** The cluster's daemons (default "default"), oldest first, on any of the given providers (spec 2.9, decision 14). */
  private async list(input: ListDaemonsRequest, context: EcsRequestContext) {
    const cluster = await existingCluster(this.fleet, resolveClusterReference('clusterArn', input.clusterArn, context.scope));
    const providerArns = (input.capacityProviderArns ?? []).map((reference) => {
      const provider = resolveCapacityProviderReference('capacityProviderArns', reference, cluster.scope);
      return Arns.capacityProvider(provider.scope, provider.name);
    });
    const clusterArn = Arns.cluster(cluster.scope, cluster.clusterName);
    const daemons = await this.daemons.daemonsOf(clusterArn, providerArns);
    const page = this.nextTokens.page(
      pagedOperation('ListDaemons', context, Streams.cluster(cluster.scope, cluster.clusterName)),
      { providerArns },
      daemons,
      (d) => timeSortKey(d.createdAt, d.daemonArn),
      { maxResults: input.maxResults ?? 100, nextToken: input.nextToken },
    );
    return { daemonSummariesList: page.items.map(presentDaemonSummary), nextToken: page.nextToken };
  }
}
