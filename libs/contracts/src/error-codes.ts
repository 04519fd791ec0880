/**
 * Stable codes of every error a service answers with on purpose. They cross the wire (messaging) and are mapped
 * once, at the edge, to the ECS exception names and HTTP statuses users see.
 */
export const ErrorCode = {
  InvalidParameter: 'INVALID_PARAMETER',
  ClusterNotFound: 'CLUSTER_NOT_FOUND',
  CapacityProviderNotFound: 'CAPACITY_PROVIDER_NOT_FOUND',
  CapacityProviderAlreadyExists: 'CAPACITY_PROVIDER_ALREADY_EXISTS',
  CapacityProviderNotManagedInstances: 'CAPACITY_PROVIDER_NOT_MANAGED_INSTANCES',
  CapacityProviderNotInCluster: 'CAPACITY_PROVIDER_NOT_IN_CLUSTER',
  DaemonTaskDefinitionNotFound: 'DAEMON_TASK_DEFINITION_NOT_FOUND',
  DaemonTaskDefinitionNotActive: 'DAEMON_TASK_DEFINITION_NOT_ACTIVE',
  DaemonNameInUse: 'DAEMON_NAME_IN_USE',
  ClientTokenReused: 'CLIENT_TOKEN_REUSED',
  DaemonNotFound: 'DAEMON_NOT_FOUND',
  DaemonNotActive: 'DAEMON_NOT_ACTIVE',
  DaemonDeploymentNotFound: 'DAEMON_DEPLOYMENT_NOT_FOUND',
  TaskDefinitionNotFound: 'TASK_DEFINITION_NOT_FOUND',
  ServiceNotFound: 'SERVICE_NOT_FOUND',
  ServiceNotActive: 'SERVICE_NOT_ACTIVE',
  ServiceNameInUse: 'SERVICE_NAME_IN_USE',
  /** DeleteCluster refused: the cluster still holds services, container instances or capacity providers. */
  ClusterContainsServices: 'CLUSTER_CONTAINS_SERVICES',
  ClusterContainsContainerInstances: 'CLUSTER_CONTAINS_CONTAINER_INSTANCES',
  ClusterContainsCapacityProvider: 'CLUSTER_CONTAINS_CAPACITY_PROVIDER',
  /** A deployment's command to the fleet carried an older stream version than one already seen: it is stale. */
  StaleFencingToken: 'STALE_FENCING_TOKEN',
  AlarmNotFound: 'ALARM_NOT_FOUND',
  FaultRuleNotFound: 'FAULT_RULE_NOT_FOUND',
  /** The store kept refusing an append because others kept writing first. */
  ConcurrentModification: 'CONCURRENT_MODIFICATION',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What an error looks like on the wire between services. */
export interface ErrorPayload {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}
