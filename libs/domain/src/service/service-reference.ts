import { NAME_PATTERN, type Scope } from '@daemonfleet/contracts';
import { parseEcsArn, resolveClusterReference, type ClusterReference } from '../shared/arns.js';
import { InvalidParameter } from '../shared/domain-errors.js';

export interface ServiceReference extends ClusterReference {
  readonly serviceName: string;
}

/**
 * A service given by name, in `cluster` (name or ARN; omitted: `default`), or by ARN (`…:service/<cluster>/<name>`),
 * which names its own cluster: a `cluster` beside it must be that one.
 */
export function resolveServiceReference({ cluster, service }: { cluster?: string; service: string }, scope: Scope): ServiceReference {
  if (NAME_PATTERN.test(service)) return { ...resolveClusterReference('cluster', cluster, scope), serviceName: service };
  const arn = parseEcsArn(service);
  if (arn?.resourceType !== 'service' || arn.path.length !== 2 || !arn.path.every((part) => NAME_PATTERN.test(part)))
    throw new InvalidParameter('service', `service: ${JSON.stringify(service)} is neither a service name nor a service ARN`);
  const [clusterName, serviceName] = arn.path;
  if (cluster !== undefined && resolveClusterReference('cluster', cluster, arn.scope).clusterName !== clusterName)
    throw new InvalidParameter('cluster', `cluster: ${cluster} is not the cluster of service ${service}`);
  return { scope: arn.scope, clusterName, serviceName };
}
