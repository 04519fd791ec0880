import { NAME_PATTERN, type Scope } from '@daemonfleet/contracts';
import { InvalidParameter } from './domain-errors.js';

/** ARN formats of spec 1.1: partition aws, service ecs, the scope's region and account. */
const prefix = (scope: Scope) => `arn:aws:ecs:${scope.region}:${scope.accountId}`;

export const Arns = {
  cluster: (scope: Scope, clusterName: string) => `${prefix(scope)}:cluster/${clusterName}`,
  capacityProvider: (scope: Scope, name: string) => `${prefix(scope)}:capacity-provider/${name}`,
  daemonTaskDefinition: (scope: Scope, family: string, revision: number) => `${prefix(scope)}:daemon-task-definition/${family}:${revision}`,
  daemon: (scope: Scope, clusterName: string, daemonName: string) => `${prefix(scope)}:daemon/${clusterName}/${daemonName}`,
  daemonRevision: (scope: Scope, clusterName: string, daemonName: string, revisionId: string) =>
    `${prefix(scope)}:daemon-revision/${clusterName}/${daemonName}/${revisionId}`,
  daemonDeployment: (scope: Scope, clusterName: string, daemonName: string, deploymentId: string) =>
    `${prefix(scope)}:daemon-deployment/${clusterName}/${daemonName}/${deploymentId}`,
  containerInstance: (scope: Scope, clusterName: string, instanceId: string) => `${prefix(scope)}:container-instance/${clusterName}/${instanceId}`,
  task: (scope: Scope, clusterName: string, taskId: string) => `${prefix(scope)}:task/${clusterName}/${taskId}`,
  service: (scope: Scope, clusterName: string, serviceName: string) => `${prefix(scope)}:service/${clusterName}/${serviceName}`,
  taskDefinition: (scope: Scope, family: string, revision: number) => `${prefix(scope)}:task-definition/${family}:${revision}`,
  alarm: (scope: Scope, alarmName: string) => `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${alarmName}`,
  iamUser: (accountId: string, userName: string) => `arn:aws:iam::${accountId}:user/${userName}`,
} as const;

export interface ParsedArn {
  readonly scope: Scope;
  readonly resourceType: string;
  /** The resource path after `<type>/`, split on `/`. */
  readonly path: readonly string[];
}

const ECS_ARN = /^arn:aws:ecs:([a-z0-9-]{1,32}):([0-9]{12}):([a-z-]+)\/(.+)$/;

export function parseEcsArn(arn: string): ParsedArn | null {
  const match = ECS_ARN.exec(arn);
  if (!match) return null;
  const [, region, accountId, resourceType, resource] = match;
  return { scope: { region, accountId }, resourceType, path: resource.split('/') };
}

export const DEFAULT_CLUSTER_NAME = 'default';

export interface ClusterReference {
  readonly scope: Scope;
  readonly clusterName: string;
}

/** A cluster given by name or ARN (spec 1.2: a bare name is accepted; omitted means `default`). */
export function resolveClusterReference(field: string, reference: string | undefined, scope: Scope): ClusterReference {
  if (reference === undefined) return { scope, clusterName: DEFAULT_CLUSTER_NAME };
  if (NAME_PATTERN.test(reference)) return { scope, clusterName: reference };
  const arn = parseEcsArn(reference);
  if (arn?.resourceType === 'cluster' && arn.path.length === 1 && NAME_PATTERN.test(arn.path[0]))
    return { scope: arn.scope, clusterName: arn.path[0] };
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(reference)} is neither a cluster name nor a cluster ARN`);
}

export interface CapacityProviderReference {
  readonly scope: Scope;
  readonly name: string;
}

export function resolveCapacityProviderReference(field: string, reference: string, scope: Scope): CapacityProviderReference {
  if (NAME_PATTERN.test(reference)) return { scope, name: reference };
  const arn = parseEcsArn(reference);
  if (arn?.resourceType === 'capacity-provider' && arn.path.length === 1 && NAME_PATTERN.test(arn.path[0]))
    return { scope: arn.scope, name: arn.path[0] };
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(reference)} is neither a capacity provider name nor its ARN`);
}

export interface DaemonTaskDefinitionReference {
  readonly scope: Scope;
  readonly family: string;
  /** undefined for a bare family: the latest ACTIVE revision (spec 2.2). */
  readonly revision?: number;
}

const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):([1-9][0-9]{0,8})$/;

/** `family`, `family:revision` or a daemon task definition ARN; `requireRevision` refuses a bare family. */
export function resolveDaemonTaskDefinitionReference(
  field: string,
  reference: string,
  scope: Scope,
  { requireRevision }: { requireRevision: boolean },
): DaemonTaskDefinitionReference {
  const arn = parseEcsArn(reference);
  const local = arn?.resourceType === 'daemon-task-definition' && arn.path.length === 1 ? arn.path[0] : arn ? null : reference;
  const familyRevision = local === null ? null : FAMILY_REVISION.exec(local);
  if (familyRevision) return { scope: arn?.scope ?? scope, family: familyRevision[1], revision: Number(familyRevision[2]) };
  if (local !== null && !requireRevision && NAME_PATTERN.test(local)) return { scope: arn?.scope ?? scope, family: local };
  const expected = requireRevision ? 'family:revision or a daemon task definition ARN' : 'family, family:revision or a daemon task definition ARN';
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(reference)} is not a valid reference; expected ${expected}`);
}

export interface DaemonReference {
  readonly scope: Scope;
  readonly clusterName: string;
  readonly daemonName: string;
}

export function resolveDaemonArn(field: string, daemonArn: string): DaemonReference {
  const arn = parseEcsArn(daemonArn);
  if (arn?.resourceType === 'daemon' && arn.path.length === 2 && arn.path.every((part) => NAME_PATTERN.test(part)))
    return { scope: arn.scope, clusterName: arn.path[0], daemonName: arn.path[1] };
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(daemonArn)} is not a daemon ARN`);
}

export interface DaemonDeploymentReference extends DaemonReference {
  readonly deploymentId: string;
}

export const DEPLOYMENT_ID_PATTERN = /^[A-Za-z0-9]{16,32}$/;

export function resolveDaemonDeploymentArn(field: string, deploymentArn: string): DaemonDeploymentReference {
  const arn = parseEcsArn(deploymentArn);
  if (
    arn?.resourceType === 'daemon-deployment' &&
    arn.path.length === 3 &&
    NAME_PATTERN.test(arn.path[0]) &&
    NAME_PATTERN.test(arn.path[1]) &&
    DEPLOYMENT_ID_PATTERN.test(arn.path[2])
  )
    return { scope: arn.scope, clusterName: arn.path[0], daemonName: arn.path[1], deploymentId: arn.path[2] };
  throw new InvalidParameter(field, `${field}: ${JSON.stringify(deploymentArn)} is not a daemon deployment ARN`);
}
