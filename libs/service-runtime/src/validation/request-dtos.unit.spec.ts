import { CreateCapacityProviderDto, CreateClusterDto, CreateDaemonDto, RegisterDaemonTaskDefinitionDto } from '@daemonfleet/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValidationPipe, RequestValidationError } from './validation-pipe.js';

/** The notable rules of the request DTOs, as every entry point applies them: through the validation pipe. */

describe('CreateCapacityProviderDto', () => {
  it('accepts a Managed Instances provider in a cluster', async () => {
    expect(await outcome(CreateCapacityProviderDto, capacityProvider())).toBe('valid');
  });

  it('accepts an Auto Scaling group provider without a cluster', async () => {
    expect(await outcome(CreateCapacityProviderDto, asgProvider())).toBe('valid');
  });

  it.each(['aws-mi', 'AWS_mi', 'awsome', 'ecs-provider', 'Ecs1', 'fargate', 'FARGATE-spot', 'FarGate_x'])('refuses the reserved name prefix of %s', async (name) => {
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ name }))).toEqual({
      field: 'name',
      message: 'name must not start with aws, ecs or fargate',
    });
  });

  it.each(['prod-mi', 'my-aws', 'mi-ecs', 'x-fargate'])('accepts %s, where the reserved word is not a prefix', async (name) => {
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ name }))).toBe('valid');
  });

  it('refuses a provider with neither managedInstancesProvider nor autoScalingGroupProvider', async () => {
    expect(await outcome(CreateCapacityProviderDto, { name: 'prod-mi', cluster: 'prod' })).toEqual({
      field: 'managedInstancesProvider',
      message: 'managedInstancesProvider or autoScalingGroupProvider is required (exactly one)',
    });
  });

  it('refuses a provider with both', async () => {
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ autoScalingGroupProvider: asgProvider().autoScalingGroupProvider }))).toEqual({
      field: 'autoScalingGroupProvider',
      message: 'autoScalingGroupProvider cannot be given together with managedInstancesProvider',
    });
  });

  it('requires a cluster with managedInstancesProvider', async () => {
    // The first constraint class-validator reports for a missing cluster is @Length's (it sits below @IsString),
    // so the message is the length rule's, not the DTO's custom "is required" one; the field is right.
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ cluster: undefined }))).toMatchObject({ field: 'cluster', message: expect.stringMatching(/^cluster /) });
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ cluster: 42 }))).toMatchObject({ field: 'cluster' });
  });

  it('names a missing field deep in the launch template by its path', async () => {
    const failure = await outcome(
      CreateCapacityProviderDto,
      capacityProvider({ managedInstancesProvider: { infrastructureRoleArn: ROLE_ARN, instanceLaunchTemplate: {} } }),
    );
    expect(failure).toMatchObject({ field: 'managedInstancesProvider.instanceLaunchTemplate.ec2InstanceProfileArn' });
  });
});

describe('RegisterDaemonTaskDefinitionDto', () => {
  it('accepts the README example', async () => {
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition())).toBe('valid');
  });

  it('refuses a definition without an essential container', async () => {
    const containers = [container('agent', { essential: false }), container('sidecar', { essential: false })];
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ containerDefinitions: containers }))).toEqual({
      field: 'containerDefinitions',
      message: 'containerDefinitions must have at least one essential container',
    });
  });

  it('takes a container that leaves essential out as essential', async () => {
    const containers = [container('agent'), container('sidecar', { essential: false })];
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ containerDefinitions: containers }))).toBe('valid');
  });

  it('refuses two containers with the same name', async () => {
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ containerDefinitions: [container('agent'), container('agent')] }))).toEqual({
      field: 'containerDefinitions',
      message: 'containerDefinitions must not repeat a name',
    });
  });

  it('refuses an empty container list', async () => {
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ containerDefinitions: [] }))).toMatchObject({ field: 'containerDefinitions' });
  });

  it('refuses a volume with both a host path and a log-driver volume configuration', async () => {
    const volumes = [{ name: 'logs', host: { sourcePath: '/var/log' }, logDriverVolumeConfiguration: { driver: 'json-file' } }];
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ volumes }))).toEqual({
      field: 'volumes.0.logDriverVolumeConfiguration',
      message: 'volumes.0.logDriverVolumeConfiguration cannot be given together with host',
    });
  });

  it.each([
    ['a host volume', { name: 'logs', host: { sourcePath: '/var/log' } }],
    ['a log-driver volume', { name: 'logs', logDriverVolumeConfiguration: { driver: 'json-file' } }],
  ])('accepts %s alone', async (_what, volume) => {
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ volumes: [volume] }))).toBe('valid');
  });

  it('applies the tag rules', async () => {
    expect(await outcome(RegisterDaemonTaskDefinitionDto, taskDefinition({ tags: [{ key: 'aws:owner', value: 'x' }] }))).toMatchObject({ field: 'tags.0.key' });
  });
});

describe('CreateDaemonDto', () => {
  it('accepts the README example', async () => {
    expect(await outcome(CreateDaemonDto, daemon())).toBe('valid');
  });

  it.each([0, 0.5, 25, 100])('accepts drainPercent %d', async (drainPercent) => {
    expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { drainPercent } }))).toBe('valid');
  });

  it.each([-0.1, 100.01, Number.NaN])('refuses drainPercent %d', async (drainPercent) => {
    expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { drainPercent } }))).toMatchObject({
      field: 'deploymentConfiguration.drainPercent',
    });
  });

  it('accepts every drainPercent from 0 to 100 and refuses every one outside', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 100, noNaN: true }), async (drainPercent) => {
        expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { drainPercent } }))).toBe('valid');
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), fc.double({ min: 100.000001, noNaN: true })),
        async (drainPercent) => {
          expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { drainPercent } }))).toMatchObject({
            field: 'deploymentConfiguration.drainPercent',
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([0, 1, 1440])('accepts bakeTimeInMinutes %d', async (bakeTimeInMinutes) => {
    expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { bakeTimeInMinutes } }))).toBe('valid');
  });

  it.each([-1, 1441, 1.5])('refuses bakeTimeInMinutes %d', async (bakeTimeInMinutes) => {
    expect(await outcome(CreateDaemonDto, daemon({ deploymentConfiguration: { bakeTimeInMinutes } }))).toMatchObject({
      field: 'deploymentConfiguration.bakeTimeInMinutes',
    });
  });

  it('accepts a clientToken of 1 to 36 printable ASCII characters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: printableAscii, minLength: 1, maxLength: 36 }), async (clientToken) => {
        expect(await outcome(CreateDaemonDto, daemon({ clientToken }))).toBe('valid');
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['empty', ''],
    ['37 characters', 'x'.repeat(37)],
    ['with a space', 'token 1'],
    ['with a tab', 'token\t1'],
    ['not ASCII', 'tökén'],
    ['with a control character', 'token\u0007'],
  ])('refuses a clientToken %s', async (_what, clientToken) => {
    expect(await outcome(CreateDaemonDto, daemon({ clientToken }))).toEqual({
      field: 'clientToken',
      message: 'clientToken must be 1 to 36 printable ASCII characters',
    });
  });

  it('refuses a clientToken with any non-printable or non-ASCII character', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: printableAscii, maxLength: 17 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/^[\x21-\x7e]$/.test(c)),
        fc.string({ unit: printableAscii, maxLength: 17 }),
        async (before, odd, after) => {
          expect(await outcome(CreateDaemonDto, daemon({ clientToken: `${before}${odd}${after}` }))).toMatchObject({ field: 'clientToken' });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an empty capacityProviderArns and more than 20', async () => {
    expect(await outcome(CreateDaemonDto, daemon({ capacityProviderArns: [] }))).toMatchObject({ field: 'capacityProviderArns' });
    const many = Array.from({ length: 21 }, (_, i) => `mi-${i}`);
    expect(await outcome(CreateDaemonDto, daemon({ capacityProviderArns: many }))).toMatchObject({ field: 'capacityProviderArns' });
    expect(await outcome(CreateDaemonDto, daemon({ capacityProviderArns: many.slice(0, 20) }))).toBe('valid');
  });

  it('refuses a daemon name outside the name pattern', async () => {
    expect(await outcome(CreateDaemonDto, daemon({ daemonName: 'my daemon' }))).toEqual({
      field: 'daemonName',
      message: 'daemonName must be 1 to 255 letters, digits, hyphens or underscores',
    });
  });
});

describe('tags (CreateClusterDto, and every DTO that takes tags)', () => {
  it.each(['aws:owner', 'AWS:owner', 'Aws:x'])('refuses the reserved key prefix of %s', async (key) => {
    expect(await outcome(CreateClusterDto, { tags: [{ key: 'team', value: 'sre' }, { key, value: 'x' }] })).toEqual({
      field: 'tags.1.key',
      message: 'tags.1.key must not start with the reserved prefix aws:',
    });
  });

  it.each(['aws', 'awsome', 'my-aws:key'])('accepts the key %s', async (key) => {
    expect(await outcome(CreateClusterDto, { tags: [{ key, value: 'aws:fine-in-a-value' }] })).toBe('valid');
  });

  it('refuses a repeated key', async () => {
    expect(await outcome(CreateClusterDto, { tags: [{ key: 'team', value: 'a' }, { key: 'team', value: 'b' }] })).toEqual({
      field: 'tags',
      message: 'tags must not repeat a key',
    });
  });

  it('accepts 50 tags and refuses 51', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
    expect(await outcome(CreateClusterDto, { tags: tags(50) })).toBe('valid');
    expect(await outcome(CreateClusterDto, { tags: tags(51) })).toEqual({ field: 'tags', message: 'tags must contain no more than 50 elements' });
    expect(await outcome(CreateDaemonDto, daemon({ tags: tags(51) }))).toMatchObject({ field: 'tags' });
    expect(await outcome(CreateCapacityProviderDto, capacityProvider({ tags: tags(51) }))).toMatchObject({ field: 'tags' });
  });

  it('refuses an empty key and a key over 128 characters', async () => {
    expect(await outcome(CreateClusterDto, { tags: [{ key: '', value: 'x' }] })).toMatchObject({ field: 'tags.0.key' });
    expect(await outcome(CreateClusterDto, { tags: [{ key: 'k'.repeat(129), value: 'x' }] })).toMatchObject({ field: 'tags.0.key' });
    expect(await outcome(CreateClusterDto, { tags: [{ key: 'k'.repeat(128), value: '' }] })).toBe('valid');
  });

  it('refuses a cluster name outside the name pattern', async () => {
    expect(await outcome(CreateClusterDto, { clusterName: 'prod/eu' })).toMatchObject({ field: 'clusterName' });
  });
});

// Fixtures last.

const ROLE_ARN = 'arn:aws:iam::000000000000:role/ecsInfrastructureRole';
const PROFILE_ARN = 'arn:aws:iam::000000000000:instance-profile/ecsInstanceProfile';

const printableAscii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

/** 'valid', or the field and message of the refusal. */
async function outcome(metatype: new () => object, body: unknown): Promise<'valid' | { field: string; message: string }> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype, data: undefined });
    return 'valid';
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return { field: error.details.field, message: error.message };
  }
}

function capacityProvider(overrides: Record<string, unknown> = {}) {
  return {
    name: 'prod-mi',
    cluster: 'prod',
    managedInstancesProvider: { infrastructureRoleArn: ROLE_ARN, instanceLaunchTemplate: { ec2InstanceProfileArn: PROFILE_ARN } },
    ...overrides,
  };
}

function asgProvider() {
  return { name: 'prod-asg', autoScalingGroupProvider: { autoScalingGroupArn: 'arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:x' } };
}

function container(name: string, overrides: Record<string, unknown> = {}) {
  return { name, image: `public.ecr.aws/example/${name}:1.0`, ...overrides };
}

function taskDefinition(overrides: Record<string, unknown> = {}) {
  return { family: 'monitoring-agent', cpu: '256', memory: '512', containerDefinitions: [container('agent')], ...overrides };
}

function daemon(overrides: Record<string, unknown> = {}) {
  return {
    daemonName: 'monitor',
    clusterArn: 'prod',
    daemonTaskDefinitionArn: 'monitoring-agent:1',
    capacityProviderArns: ['prod-mi'],
    deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
    ...overrides,
  };
}
