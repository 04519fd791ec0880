import {
  CreateClusterDto,
  CreateDaemonDto,
  DaemonContainerDefinitionDto,
  DaemonDeploymentConfigurationDto,
  RegisterDaemonTaskDefinitionDto,
  TagDto,
} from '@daemonfleet/contracts';
import type { ValidationError } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { createValidationPipe, firstValidationFailure, RequestValidationError } from './validation-pipe.js';

describe('createValidationPipe', () => {
  describe('a valid payload', () => {
    it('becomes an instance of its DTO, nested objects and list items included', async () => {
      const dto = await validate(CreateDaemonDto, createDaemon({ tags: [{ key: 'team', value: 'sre' }] }));

      expect(dto).toBeInstanceOf(CreateDaemonDto);
      expect(dto.deploymentConfiguration).toBeInstanceOf(DaemonDeploymentConfigurationDto);
      expect(dto.tags?.[0]).toBeInstanceOf(TagDto);
      expect({ ...dto, deploymentConfiguration: { ...dto.deploymentConfiguration }, tags: dto.tags?.map((t) => ({ ...t })) }).toEqual(
        createDaemon({ tags: [{ key: 'team', value: 'sre' }] }),
      );
    });

    it('keeps list items of the task definition as instances of the container DTO', async () => {
      const dto = await validate(RegisterDaemonTaskDefinitionDto, registerTaskDefinition());
      expect(dto).toBeInstanceOf(RegisterDaemonTaskDefinitionDto);
      expect(dto.containerDefinitions[0]).toBeInstanceOf(DaemonContainerDefinitionDto);
      expect(dto.containerDefinitions[0].image).toBe('public.ecr.aws/example/agent:1.0');
    });

    it('takes an empty body as an empty object', async () => {
      expect(await validate(CreateClusterDto, undefined)).toBeInstanceOf(CreateClusterDto);
    });
  });

  describe('an invalid payload is refused with RequestValidationError, INVALID_PARAMETER, naming the first offending field', () => {
    it('refuses an unknown property', async () => {
      const failure = await refusal(CreateClusterDto, { clusterName: 'prod', foo: 1 });

      expect(failure).toBeInstanceOf(RequestValidationError);
      expect(failure).toMatchObject({ name: 'RequestValidationError', code: 'INVALID_PARAMETER', message: 'property foo should not exist', details: { field: 'foo' } });
    });

    it('names a nested unknown property with its full path', async () => {
      const failure = await refusal(CreateDaemonDto, createDaemon({ deploymentConfiguration: { drainPercent: 25, rollbackOnFailure: true } }));

      expect(failure).toMatchObject({
        message: 'property deploymentConfiguration.rollbackOnFailure should not exist',
        details: { field: 'deploymentConfiguration.rollbackOnFailure' },
      });
    });

    it('names a nested rule failure with its full path', async () => {
      const failure = await refusal(CreateDaemonDto, createDaemon({ deploymentConfiguration: { drainPercent: 101 } }));

      expect(failure.message).toBe('deploymentConfiguration.drainPercent must not be greater than 100');
      expect(failure.details).toEqual({ field: 'deploymentConfiguration.drainPercent' });
    });

    it('names a list item by its index', async () => {
      const failure = await refusal(RegisterDaemonTaskDefinitionDto, registerTaskDefinition({ containerDefinitions: [{ name: 'agent' }] }));

      expect(failure.message).toMatch(/^containerDefinitions\.0\.image /);
      expect(failure.details).toEqual({ field: 'containerDefinitions.0.image' });
    });

    it('names an unknown property of a list item with its full path', async () => {
      const failure = await refusal(
        RegisterDaemonTaskDefinitionDto,
        registerTaskDefinition({ containerDefinitions: [{ name: 'agent', image: 'agent:1' }, { name: 'sidecar', image: 'sidecar:1', portMappings: [] }] }),
      );

      expect(failure).toMatchObject({
        message: 'property containerDefinitions.1.portMappings should not exist',
        details: { field: 'containerDefinitions.1.portMappings' },
      });
    });

    it('refuses a wrong type rather than coercing it', async () => {
      const failure = await refusal(CreateDaemonDto, createDaemon({ deploymentConfiguration: { drainPercent: '25' } }));
      expect(failure.details).toEqual({ field: 'deploymentConfiguration.drainPercent' });
    });
  });
});

describe('firstValidationFailure', () => {
  it('answers undefined when there is no failure', () => {
    expect(firstValidationFailure([])).toBeUndefined();
    expect(firstValidationFailure([error('tags', {}, [error('0', {})])])).toBeUndefined();
  });

  it('takes the first constraint of the first error, depth first', () => {
    const errors = [
      error('deploymentConfiguration', {}, [error('alarms', {}, [error('alarmNames', { arrayMaxSize: 'alarmNames must contain no more than 10 elements' })])]),
      error('daemonName', { matches: 'daemonName must be 1 to 255 letters' }),
    ];
    expect(firstValidationFailure(errors)).toEqual({
      field: 'deploymentConfiguration.alarms.alarmNames',
      message: 'deploymentConfiguration.alarms.alarmNames must contain no more than 10 elements',
    });
  });

  it('prefixes a message that does not start with the property with its path', () => {
    expect(firstValidationFailure([error('tags', {}, [error('3', { custom: 'each tag needs a key' })])])).toEqual({
      field: 'tags.3',
      message: 'tags.3: each tag needs a key',
    });
  });

  it('names the full path in a whitelist message', () => {
    expect(firstValidationFailure([error('volumes', {}, [error('0', {}, [error('efs', { whitelistValidation: 'property efs should not exist' })])])])).toEqual({
      field: 'volumes.0.efs',
      message: 'property volumes.0.efs should not exist',
    });
  });
});

// Fixtures last.

type Dto<T> = new () => T;

async function validate<T>(metatype: Dto<T>, body: unknown): Promise<T> {
  return (await createValidationPipe().transform(body, { type: 'body', metatype, data: undefined })) as T;
}

async function refusal<T>(metatype: Dto<T>, body: unknown): Promise<RequestValidationError> {
  try {
    await validate(metatype, body);
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

function error(property: string, constraints: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return { property, constraints, children };
}

function createDaemon(overrides: Record<string, unknown> = {}) {
  return {
    daemonName: 'monitor',
    clusterArn: 'prod',
    daemonTaskDefinitionArn: 'monitoring-agent:1',
    capacityProviderArns: ['prod-mi'],
    deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
    ...overrides,
  };
}

function registerTaskDefinition(overrides: Record<string, unknown> = {}) {
  return {
    family: 'monitoring-agent',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'agent', image: 'public.ecr.aws/example/agent:1.0' }],
    ...overrides,
  };
}
