import { ErrorCode } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '@daemonfleet/messaging';
import { ecsErrorFor, notFoundInPath, PathResourceNotFound } from './ecs-errors.js';

describe('ecsErrorFor', () => {
  it.each(Object.entries(CLIENT_ERRORS))('maps %s to %s with 400 and the message as it is', (code, name) => {
    expect(ecsErrorFor(code, 'what went wrong')).toEqual({ name, status: 400, message: 'what went wrong' });
  });

  it.each([ErrorCode.ServiceUnavailable, ErrorCode.ConcurrentModification])('maps %s to ServerException with 503, worth a retry', (code) => {
    expect(ecsErrorFor(code, 'read models are behind')).toEqual({ name: 'ServerException', status: 503, message: 'read models are behind' });
  });

  it('maps INTERNAL to ServerException with 500 and a message that does not leak the failure', () => {
    expect(ecsErrorFor(ErrorCode.Internal, 'ENOENT /var/lib/secret.db')).toEqual({ name: 'ServerException', status: 500, message: GENERIC_MESSAGE });
  });

  it('has a decision for every error code the services answer with', () => {
    const decided = new Set([...Object.keys(CLIENT_ERRORS), ErrorCode.ServiceUnavailable, ErrorCode.ConcurrentModification, ErrorCode.Internal]);
    expect(Object.values(ErrorCode).filter((code) => !decided.has(code))).toEqual([]);
  });

  it.each(['ECONNREFUSED', 'SQLITE_BUSY', '', 'invalid_parameter', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'maps the unknown code %j to ServerException with 500, without its message',
    (code) => {
      expect(ecsErrorFor(code, 'connect ECONNREFUSED 10.0.0.7:4222')).toEqual({ name: 'ServerException', status: 500, message: GENERIC_MESSAGE });
    },
  );

  it('maps every other code to ServerException with 500, without its message', () => {
    const known = new Set<string>(Object.values(ErrorCode));
    fc.assert(
      fc.property(
        fc.string().filter((code) => !known.has(code)),
        fc.string(),
        (code, message) => {
          expect(ecsErrorFor(code, message)).toEqual({ name: 'ServerException', status: 500, message: GENERIC_MESSAGE });
        },
      ),
    );
  });
});

describe('notFoundInPath', () => {
  it('turns a refusal with one of its codes into a 404 of the resource in the path, with the ECS name and message', () => {
    const refusal = new RemoteError('fleet.command.UpdateService', { code: ErrorCode.ServiceNotFound, message: 'Service not found: web' });
    const thrown = caught(() => notFoundInPath(ErrorCode.ClusterNotFound, ErrorCode.ServiceNotFound)(refusal));
    expect(thrown).toBeInstanceOf(PathResourceNotFound);
    expect(thrown).toMatchObject({ ecsName: 'ServiceNotFoundException', message: 'Service not found: web' });
  });

  it.each([
    ['a refusal with another code', new RemoteError('fleet.command.UpdateService', { code: ErrorCode.ServiceNotActive, message: 'DRAINING' })],
    ['a failure without a code', new Error('connection lost')],
    ['something that is no error', { code: ErrorCode.ServiceNotFound, message: 'not an Error' }],
  ])('lets %s through as it is', (_what, error) => {
    expect(caught(() => notFoundInPath(ErrorCode.ServiceNotFound)(error))).toBe(error);
  });
});

// Fixtures last.

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const GENERIC_MESSAGE = 'The server failed to handle the request; see its logs';

/** Decision 10 (and 9 for names and tokens) of spec section 7: the ECS exception each client error code becomes. */
const CLIENT_ERRORS: Record<string, string> = {
  // "Missing or malformed field, out-of-range number, ..., capacity provider not of this cluster"
  [ErrorCode.InvalidParameter]: 'InvalidParameterException',
  [ErrorCode.CapacityProviderNotInCluster]: 'InvalidParameterException',
  [ErrorCode.CapacityProviderNotManagedInstances]: 'InvalidParameterException',
  // Decision 9: a name in use without a matching token, a token reused with other parameters
  [ErrorCode.DaemonNameInUse]: 'InvalidParameterException',
  [ErrorCode.ClientTokenReused]: 'InvalidParameterException',
  // "Unknown or non-ACTIVE task definition, unknown capacity provider, unknown daemon in ListDaemonDeployments"
  [ErrorCode.DaemonTaskDefinitionNotFound]: 'ClientException',
  [ErrorCode.DaemonTaskDefinitionNotActive]: 'ClientException',
  [ErrorCode.CapacityProviderNotFound]: 'ClientException',
  [ErrorCode.CapacityProviderAlreadyExists]: 'ClientException',
  [ErrorCode.DaemonDeploymentNotFound]: 'ClientException',
  // "Unknown cluster", "Unknown daemon in Describe/Update/Delete", "Non-ACTIVE daemon in Update/Delete"
  [ErrorCode.ClusterNotFound]: 'ClusterNotFoundException',
  [ErrorCode.DaemonNotFound]: 'DaemonNotFoundException',
  [ErrorCode.DaemonNotActive]: 'DaemonNotActiveException',
  // The simulated fleet, as ECS answers them: an unknown task definition is a ClientException; services have their own
  [ErrorCode.TaskDefinitionNotFound]: 'ClientException',
  [ErrorCode.ServiceNotFound]: 'ServiceNotFoundException',
  [ErrorCode.ServiceNotActive]: 'ServiceNotActiveException',
  [ErrorCode.ServiceNameInUse]: 'InvalidParameterException',
  // DeleteCluster's refusals, by ECS's own names
  [ErrorCode.ClusterContainsServices]: 'ClusterContainsServicesException',
  [ErrorCode.ClusterContainsContainerInstances]: 'ClusterContainsContainerInstancesException',
  [ErrorCode.ClusterContainsCapacityProvider]: 'ClusterContainsCapacityProviderException',
  // A deployment's fenced command that a newer one overtook
  [ErrorCode.StaleFencingToken]: 'ClientException',
  // CloudWatch's alarms, by CloudWatch's name
  [ErrorCode.AlarmNotFound]: 'ResourceNotFound',
  // Emulator control: DELETE /v1/faults/{id} of an unknown rule (404 through notFoundInPath)
  [ErrorCode.FaultRuleNotFound]: 'ResourceNotFoundException',
};
