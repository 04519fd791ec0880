import { Inject, Injectable } from '@nestjs/common';
import { NAME_PATTERN, Streams } from '@daemonfleet/contracts';
import { InvalidParameter, parseEcsArn, resolveDaemonArn, resolveDaemonDeploymentArn } from '@daemonfleet/domain';
import { SERVICE_CONFIG, type ServiceConfig } from '@daemonfleet/service-runtime';
import { NextTokens, timeSortKey } from '../../pagination/next-token.js';
import { presentDaemonRevision } from '../../presenters/daemon.presenter.js';
import { presentDeployment, presentDeploymentSummary } from '../../presenters/deployment.presenter.js';
import { DaemonQueries } from '../../read-models/daemon.queries.js';
import { FleetQueries } from '../../read-models/fleet.queries.js';
import { daemonHistory, existingCluster } from '../../rest/path-resources.js';
import { missing, operation, pagedOperation, type EcsOperationGroup, type EcsRequestContext } from './ecs-operation.js';
import { DescribeDaemonDeploymentsRequest, DescribeDaemonRevisionsRequest, ListDaemonDeploymentsRequest } from './ecs-requests.dto.js';

/**
 * A daemon's revisions and deployments (spec 2.10 to 2.12). They answer for a removed daemon too (decision 7); the
 * Describe calls take ARNs of any clusters, each looked up on its own, unknown ones as MISSING failures (decision 23).
 */
@Injectable()
export class DaemonDeploymentOperations implements EcsOperationGroup {
  private readonly nextTokens: NextTokens;

  constructor(
    private readonly daemons: DaemonQueries,
    private readonly fleet: FleetQueries,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.nextTokens = new NextTokens(config.paginationSecret);
  }

  readonly operations = {
    ListDaemonDeployments: operation('ListDaemonDeployments', ListDaemonDeploymentsRequest, (input, context) => this.list(input, context)),

    DescribeDaemonDeployments: operation('DescribeDaemonDeployments', DescribeDaemonDeploymentsRequest, async ({ daemonDeploymentArns }) => {
      const references = daemonDeploymentArns.map((arn) => ({ arn, deploymentId: resolveDaemonDeploymentArn('daemonDeploymentArns', arn).deploymentId }));
      const daemonDeployments = [];
      const failures = [];
      for (const { arn, deploymentId } of references) {
        const deployment = await this.daemons.deployment(deploymentId);
        // The id alone names the stream: the ARN must be the deployment's own, cluster and daemon included.
        if (deployment?.daemonDeploymentArn === arn) daemonDeployments.push(presentDeployment(deployment, this.daemons.deploymentCounts(deployment)));
        else failures.push(missing(arn));
      }
      return { daemonDeployments, failures };
    }),

    DescribeDaemonRevisions: operation('DescribeDaemonRevisions', DescribeDaemonRevisionsRequest, async ({ daemonRevisionArns }) => {
      const references = daemonRevisionArns.map((arn) => ({ arn, ...resolveDaemonRevisionArn(arn) }));
      const daemonRevisions = [];
      const failures = [];
      for (const { arn, streamId, revisionId } of references) {
        const daemon = await this.daemons.history(streamId);
        const revision = daemon?.revisions.find((r) => r.revisionId === revisionId);
        if (daemon && revision) daemonRevisions.push(presentDaemonRevision(daemon, revision));
        else failures.push(missing(arn));
      }
      return { daemonRevisions, failures };
    }),
  };

  /**
   * Newest first (decision 14), 20 a page unless maxResults (spec 2.11); filtered by status and by creation time
   * strictly between `createdAt.after` and `createdAt.before`. A daemon that never existed is a ClientException (decision 11).
   */
  private async list(input: ListDaemonDeploymentsRequest, context: EcsRequestContext) {
    const reference = resolveDaemonArn('daemonArn', input.daemonArn);
    await existingCluster(this.fleet, reference);
    const daemon = await daemonHistory(this.daemons, reference);
    const { after, before } = input.createdAt ?? {};
    const matching = this.daemons
      .deploymentsOf(daemon)
      .map((deployment) => ({ deployment, summary: presentDeploymentSummary(deployment) }))
      .filter(({ summary }) => !input.status || input.status.includes(summary.status))
      .filter(({ summary }) => (after === undefined || summary.createdAt > after) && (before === undefined || summary.createdAt < before));
    const page = this.nextTokens.page(
      pagedOperation('ListDaemonDeployments', context, daemon.daemonArn),
      { status: input.status, after, before },
      matching,
      ({ deployment }) => timeSortKey(deployment.createdAt, deployment.deploymentId, { descending: true }),
      { maxResults: input.maxResults ?? 20, nextToken: input.nextToken },
    );
    return { daemonDeployments: page.items.map(({ summary }) => summary), nextToken: page.nextToken };
  }
}

/** `…:daemon-revision/<cluster>/<daemon>/<revisionId>`: the daemon's stream and the revision's id. */
function resolveDaemonRevisionArn(arn: string): { streamId: string; revisionId: string } {
  const parsed = parseEcsArn(arn);
  if (parsed?.resourceType !== 'daemon-revision' || parsed.path.length !== 3 || !NAME_PATTERN.test(parsed.path[0]) || !NAME_PATTERN.test(parsed.path[1]) || !/^[0-9A-Za-z-]{1,64}$/.test(parsed.path[2]))
    throw new InvalidParameter('daemonRevisionArns', `daemonRevisionArns: ${JSON.stringify(arn)} is not a daemon revision ARN`);
  const [clusterName, daemonName, revisionId] = parsed.path;
  return { streamId: Streams.daemon(parsed.scope, clusterName, daemonName), revisionId };
}
