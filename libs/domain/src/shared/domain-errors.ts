import { ErrorCode } from '@daemonfleet/contracts';

/** A rule of the domain refused a command. One class per rule, each with a stable code (contracts' ErrorCode). */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class InvalidParameter extends DomainError {
  readonly code = ErrorCode.InvalidParameter;
  constructor(field: string, message: string) {
    super(message, { field });
  }
}

export class ClusterNotFound extends DomainError {
  readonly code = ErrorCode.ClusterNotFound;
  constructor(clusterName: string) {
    super(`Cluster not found: ${clusterName}`, { clusterName });
  }
}

export class CapacityProviderNotFound extends DomainError {
  readonly code = ErrorCode.CapacityProviderNotFound;
  constructor(reference: string) {
    super(`The specified capacity provider does not exist: ${reference}`, { capacityProvider: reference });
  }
}

export class CapacityProviderAlreadyExists extends DomainError {
  readonly code = ErrorCode.CapacityProviderAlreadyExists;
  constructor(name: string) {
    super(`A capacity provider named ${name} already exists`, { name });
  }
}

/** `field` names the request field that gave the provider: a daemon's capacityProviderArns by default. */
export class CapacityProviderNotManagedInstances extends DomainError {
  readonly code = ErrorCode.CapacityProviderNotManagedInstances;
  constructor(name: string, field = 'capacityProviderArns') {
    const what = field === 'capacityProviderArns' ? 'daemons' : 'the simulated fleet';
    super(`${field}: ${name} is not a Managed Instances capacity provider; ${what} run only on those`, { field });
  }
}

export class CapacityProviderNotInCluster extends DomainError {
  readonly code = ErrorCode.CapacityProviderNotInCluster;
  constructor(name: string, clusterName: string, field = 'capacityProviderArns') {
    super(`${field}: ${name} is not associated with cluster ${clusterName}`, { field });
  }
}

export class DaemonTaskDefinitionNotFound extends DomainError {
  readonly code = ErrorCode.DaemonTaskDefinitionNotFound;
  constructor(reference: string) {
    super(`Unable to describe daemon task definition: ${reference} does not exist`, { daemonTaskDefinition: reference });
  }
}

export class DaemonTaskDefinitionNotActive extends DomainError {
  readonly code = ErrorCode.DaemonTaskDefinitionNotActive;
  constructor(arn: string, status: string) {
    super(`The daemon task definition ${arn} is ${status}, not ACTIVE`, { daemonTaskDefinitionArn: arn, status });
  }
}

export class DaemonNameInUse extends DomainError {
  readonly code = ErrorCode.DaemonNameInUse;
  constructor(daemonName: string, clusterName: string) {
    super(`daemonName: a daemon named ${daemonName} already exists in cluster ${clusterName}; creation was not idempotent`, {
      field: 'daemonName',
    });
  }
}

export class ClientTokenReused extends DomainError {
  readonly code = ErrorCode.ClientTokenReused;
  constructor() {
    super('clientToken: the token was already used with different parameters', { field: 'clientToken' });
  }
}

export class DaemonNotFound extends DomainError {
  readonly code = ErrorCode.DaemonNotFound;
  constructor(daemonArn: string) {
    super(`Daemon not found: ${daemonArn}`, { daemonArn });
  }
}

export class DaemonNotActive extends DomainError {
  readonly code = ErrorCode.DaemonNotActive;
  constructor(daemonArn: string, status: string) {
    super(`The daemon ${daemonArn} is ${status}, not ACTIVE`, { daemonArn, status });
  }
}

export class TaskDefinitionNotFound extends DomainError {
  readonly code = ErrorCode.TaskDefinitionNotFound;
  constructor(reference: string) {
    super(`Unable to describe task definition: ${reference} does not exist`, { taskDefinition: reference });
  }
}

export class ServiceNotFound extends DomainError {
  readonly code = ErrorCode.ServiceNotFound;
  constructor(reference: string) {
    super(`Service not found: ${reference}`, { service: reference });
  }
}

export class ServiceNotActive extends DomainError {
  readonly code = ErrorCode.ServiceNotActive;
  constructor(serviceArn: string, status: string) {
    super(`The service ${serviceArn} is ${status}, not ACTIVE`, { serviceArn, status });
  }
}

export class ServiceNameInUse extends DomainError {
  readonly code = ErrorCode.ServiceNameInUse;
  constructor(serviceName: string, clusterName: string) {
    super(`serviceName: a service named ${serviceName} already exists in cluster ${clusterName}`, { field: 'serviceName' });
  }
}

/** A deployment's command to the fleet carried an older stream version than one the fleet already acted on. */
export class StaleFencingToken extends DomainError {
  readonly code = ErrorCode.StaleFencingToken;
  constructor(deploymentId: string, fence: number, seen: number) {
    super(`deployment ${deploymentId}: fencing token ${fence} is older than ${seen}, already seen`, { deploymentId, fence, seen });
  }
}

/** CloudWatch's ResourceNotFound: a named alarm does not exist (in DeleteAlarms, then none is deleted). */
export class AlarmNotFound extends DomainError {
  readonly code = ErrorCode.AlarmNotFound;
  constructor(alarmNames: readonly string[]) {
    super(alarmNames.length === 1 ? `Alarm ${alarmNames[0]} not found` : `Alarms not found: ${alarmNames.join(', ')}`, { alarmNames: [...alarmNames] });
  }
}
