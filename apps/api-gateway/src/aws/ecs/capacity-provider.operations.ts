import { Inject, Injectable } from '@nestjs/common';
import { CreateCapacityProviderDto, Streams, Subjects } from '@daemonfleet/contracts';
import { resolveCapacityProviderReference, resolveClusterReference, type ActiveCapacityProvider } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens } from '../../pagination/next-token.js';
import { presentCapacityProvider } from '../../presenters/fleet.presenter.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { existingCluster } from '../../rest/path-resources.js';
import { missing, operation, pagedOperation, referenceOrNothing, type EcsOperationGroup, type EcsRequestContext } from './ecs-operation.js';
import { DescribeCapacityProvidersRequest } from './ecs-requests.dto.js';

/** Capacity providers: Managed Instances ones (daemons run only there) and Auto Scaling group ones. */
@Injectable()
export class CapacityProviderOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    CreateCapacityProvider: operation('CreateCapacityProvider', CreateCapacityProviderDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.fleet.createCapacityProvider, input, meta);
      const created = await this.fleet.capacityProvider(Streams.capacityProvider(meta.scope, result.name));
      return { capacityProvider: presentCapacityProvider(created ?? result) };
    }),

    DescribeCapacityProviders: operation('DescribeCapacityProviders', DescribeCapacityProvidersRequest, (input, context) => this.describe(input, context)),
  };

  /**
   * The providers named (names or ARNs; unknown ones are MISSING failures), or else every provider of the account
   * and region (of `cluster`, when given), by name, 10 a page unless maxResults, as ECS pages them.
   */
  private async describe(input: DescribeCapacityProvidersRequest, context: EcsRequestContext) {
    if (input.capacityProviders?.length) {
      const found: ActiveCapacityProvider[] = [];
      const failures = [];
      for (const reference of input.capacityProviders) {
        const provider = await this.named(reference, context);
        if (provider) found.push(provider);
        else failures.push(missing(reference));
      }
      return { capacityProviders: found.map(presentCapacityProvider), failures };
    }
    const cluster = input.cluster === undefined ? undefined : await existingCluster(this.fleet, resolveClusterReference('cluster', input.cluster, context.scope));
    const providers = cluster ? this.fleet.providersOf(cluster) : await this.fleet.capacityProviders(context.scope);
    const page = this.nextTokens.page(pagedOperation('DescribeCapacityProviders', context), { cluster: cluster?.clusterName }, providers, (p) => p.name, {
      maxResults: input.maxResults ?? 10,
      nextToken: input.nextToken,
    });
    return { capacityProviders: page.items.map(presentCapacityProvider), failures: [], nextToken: page.nextToken };
  }

  private async named(reference: string, { scope }: EcsRequestContext): Promise<ActiveCapacityProvider | undefined> {
    const provider = referenceOrNothing(() => resolveCapacityProviderReference('capacityProviders', reference, scope));
    return provider && this.fleet.capacityProvider(Streams.capacityProvider(provider.scope, provider.name));
  }
}

