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

export class CapacityProviderNotManagedInstances extends DomainError {
  readonly code = ErrorCode.CapacityProviderNotManagedInstances;
  constructor(name: string) {
    super(`capacityProviderArns: ${name} is not a Managed Instances capacity provider; daemons run only on those`, {
      field: 'capacityProviderArns',
    });
  }
}

export class CapacityProviderNotInCluster extends DomainError {
  readonly code = ErrorCode.CapacityProviderNotInCluster;
  constructor(name: string, clusterName: string) {
    super(`capacityProviderArns: ${name} is not associated with cluster ${clusterName}`, { field: 'capacityProviderArns' });
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
