import { Inject, Injectable } from '@nestjs/common';
import { DaemonTaskDefinitionRefDto, RegisterDaemonTaskDefinitionDto, Subjects } from '@daemonfleet/contracts';
import { resolveDaemonTaskDefinitionReference } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { familyRevisionSortKey, NextTokens } from '../../pagination/next-token.js';
import { presentDaemonTaskDefinition, presentDaemonTaskDefinitionSummary } from '../../presenters/daemon-task-definition.presenter.js';
import { DaemonTaskDefinitionQueries } from '../../read-models/daemon-task-definition.queries.js';
import { GatewayCommands } from '../../rest/gateway-commands.js';
import { AwsException } from '../aws-errors.js';
import { operation, pagedOperation, type EcsOperationGroup, type EcsRequestContext } from './ecs-operation.js';
import { ListDaemonTaskDefinitionsRequest } from './ecs-requests.dto.js';

/** Daemon task definitions (spec 2.1 to 2.4). */
@Injectable()
export class DaemonTaskDefinitionOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly commands: GatewayCommands,
    private readonly taskDefinitions: DaemonTaskDefinitionQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    RegisterDaemonTaskDefinition: operation('RegisterDaemonTaskDefinition', RegisterDaemonTaskDefinitionDto, async (input, { meta }) => {
      const { result } = await this.commands.send(Subjects.orchestrator.registerDaemonTaskDefinition, input, meta);
      return { daemonTaskDefinitionArn: result.daemonTaskDefinitionArn };
    }),

    DescribeDaemonTaskDefinition: operation('DescribeDaemonTaskDefinition', DaemonTaskDefinitionRefDto, async ({ daemonTaskDefinition }, { scope }) => {
      const reference = resolveDaemonTaskDefinitionReference('daemonTaskDefinition', daemonTaskDefinition, scope, { requireRevision: false });
      const found = await this.taskDefinitions.find(reference);
      if (!found) throw new AwsException('ClientException', `Unable to describe daemon task definition: ${daemonTaskDefinition} does not exist`);
      return { daemonTaskDefinition: presentDaemonTaskDefinition(found) };
    }),

    ListDaemonTaskDefinitions: operation('ListDaemonTaskDefinitions', ListDaemonTaskDefinitionsRequest, (input, context) => this.list(input, context)),

    DeleteDaemonTaskDefinition: operation('DeleteDaemonTaskDefinition', DaemonTaskDefinitionRefDto, async ({ daemonTaskDefinition }, { meta }) => {
      const { result } = await this.commands.send(Subjects.orchestrator.deleteDaemonTaskDefinition, { daemonTaskDefinition }, meta);
      return { daemonTaskDefinitionArn: result.daemonTaskDefinitionArn };
    }),
  };

  /** By family then revision, ascending unless sort is DESC (decision 14); 100 a page unless maxResults. */
  private async list(input: ListDaemonTaskDefinitionsRequest, context: EcsRequestContext) {
    const revisions = await this.taskDefinitions.list(context.scope, input);
    const { familyPrefix, family, revision, status, sort } = input;
    const page = this.nextTokens.page(
      pagedOperation('ListDaemonTaskDefinitions', context),
      { familyPrefix, family, revision, status, sort },
      revisions,
      (r) => familyRevisionSortKey(r.family, r.revision, { descending: sort === 'DESC' }),
      { maxResults: input.maxResults ?? 100, nextToken: input.nextToken },
    );
    return { daemonTaskDefinitions: page.items.map(presentDaemonTaskDefinitionSummary), nextToken: page.nextToken };
  }
}

