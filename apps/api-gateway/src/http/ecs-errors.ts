import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@daemonfleet/contracts';

/** The one place error codes become the ECS exception names and HTTP statuses users see (decision 10). */
const ECS_EXCEPTION_BY_CODE: Record<string, string> = {
  [ErrorCode.InvalidParameter]: 'InvalidParameterException',
  [ErrorCode.CapacityProviderNotManagedInstances]: 'InvalidParameterException',
  [ErrorCode.CapacityProviderNotInCluster]: 'InvalidParameterException',
  [ErrorCode.DaemonNameInUse]: 'InvalidParameterException',
  [ErrorCode.ClientTokenReused]: 'InvalidParameterException',
  [ErrorCode.ClusterNotFound]: 'ClusterNotFoundException',
  [ErrorCode.CapacityProviderNotFound]: 'ClientException',
  [ErrorCode.CapacityProviderAlreadyExists]: 'ClientException',
  [ErrorCode.DaemonTaskDefinitionNotFound]: 'ClientException',
  [ErrorCode.DaemonTaskDefinitionNotActive]: 'ClientException',
  [ErrorCode.DaemonDeploymentNotFound]: 'ClientException',
  [ErrorCode.DaemonNotFound]: 'DaemonNotFoundException',
  [ErrorCode.DaemonNotActive]: 'DaemonNotActiveException',
  [ErrorCode.TaskDefinitionNotFound]: 'ClientException',
  [ErrorCode.ServiceNotFound]: 'ServiceNotFoundException',
  [ErrorCode.ServiceNotActive]: 'ServiceNotActiveException',
  [ErrorCode.ServiceNameInUse]: 'InvalidParameterException',
  [ErrorCode.ClusterContainsServices]: 'ClusterContainsServicesException',
  [ErrorCode.ClusterContainsContainerInstances]: 'ClusterContainsContainerInstancesException',
  [ErrorCode.ClusterContainsCapacityProvider]: 'ClusterContainsCapacityProviderException',
  // A deployment's command to the fleet came after a newer one: the caller's view is stale, not the server broken.
  [ErrorCode.StaleFencingToken]: 'ClientException',
  // CloudWatch's name for an alarm that does not exist (404 when the URL path names it).
  [ErrorCode.AlarmNotFound]: 'ResourceNotFound',
  // Emulator control (not an ECS operation): a fault rule that does not exist, as AWS names a missing resource.
  [ErrorCode.FaultRuleNotFound]: 'ResourceNotFoundException',
};

export interface EcsError {
  readonly name: string;
  readonly status: number;
  readonly message: string;
}

/** Codes of a known rule are client errors (400); anything else is the server's fault (ServerException, 500). */
export function ecsErrorFor(code: string, message: string): EcsError {
  // Own keys only: a code such as "constructor" or "toString" must not find Object.prototype's members.
  const name = Object.hasOwn(ECS_EXCEPTION_BY_CODE, code) ? ECS_EXCEPTION_BY_CODE[code] : undefined;
  if (name) return { name, status: HttpStatus.BAD_REQUEST, message };
  if (code === ErrorCode.ServiceUnavailable || code === ErrorCode.ConcurrentModification)
    return { name: 'ServerException', status: HttpStatus.SERVICE_UNAVAILABLE, message };
  return { name: 'ServerException', status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'The server failed to handle the request; see its logs' };
}

/**
 * The REST API answers a missing resource named in the URL path with 404 and the ECS exception name; a missing
 * resource named in a request body keeps ECS's 400 (the request, not the URL, is wrong).
 */
export class PathResourceNotFound extends Error {
  constructor(
    readonly ecsName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A command whose URL path names a resource the owning service did not find answers as a query would: 404 with
 * the ECS name. Other errors pass through. Use as `.catch(notFoundInPath(ErrorCode.ServiceNotFound))`.
 */
export function notFoundInPath(...codes: readonly ErrorCode[]): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && codes.some((c) => c === code)) throw new PathResourceNotFound(ecsErrorFor(code as string, error.message).name, error.message);
    throw error;
  };
}
