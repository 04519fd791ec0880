import { Streams } from '@daemonfleet/contracts';
import { InvalidParameter, parseEcsArn } from '@daemonfleet/domain';

/** The stream of the provider an ARN names; `field` is the request's field, for the error when it names none. */
export function providerStreamOf(capacityProviderArn: string, field: string): string {
  const arn = parseEcsArn(capacityProviderArn);
  if (arn?.resourceType !== 'capacity-provider' || arn.path.length !== 1)
    throw new InvalidParameter(field, `${field}: ${JSON.stringify(capacityProviderArn)} is not a capacity provider ARN`);
  return Streams.capacityProvider(arn.scope, arn.path[0]);
}

/** The stream of the service an ARN (`…:service/<cluster>/<name>`, as the domain builds them) names, if it is one. */
export function serviceStreamOf(serviceArn: string): string | undefined {
  const arn = parseEcsArn(serviceArn);
  return arn?.resourceType === 'service' && arn.path.length === 2 ? Streams.service(arn.scope, arn.path[0], arn.path[1]) : undefined;
}
