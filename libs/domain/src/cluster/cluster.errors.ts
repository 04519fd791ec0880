import { ErrorCode } from '@daemonfleet/contracts';
import { DomainError } from '../shared/domain-errors.js';

// DeleteCluster's refusals, named as ECS names them (ClusterContains*Exception).

export class ClusterContainsServices extends DomainError {
  readonly code = ErrorCode.ClusterContainsServices;
  constructor(clusterName: string) {
    super(`The cluster ${clusterName} contains services; delete them (their tasks stop first) before the cluster`, { clusterName });
  }
}

export class ClusterContainsContainerInstances extends DomainError {
  readonly code = ErrorCode.ClusterContainsContainerInstances;
  constructor(clusterName: string) {
    super(`The cluster ${clusterName} contains container instances`, { clusterName });
  }
}

export class ClusterContainsCapacityProvider extends DomainError {
  readonly code = ErrorCode.ClusterContainsCapacityProvider;
  constructor(clusterName: string) {
    super(`The cluster ${clusterName} contains capacity providers; a Managed Instances capacity provider stays bound to its cluster`, { clusterName });
  }
}
