import type { DaemonTaskDefinitionSpec } from '@daemonfleet/contracts';
import { daemonTaskDefinitionDecider, fold, type DaemonTaskDefinitionCommand, type DaemonTaskDefinitionRevision } from '@daemonfleet/domain';
import { describe, expect, it } from 'vitest';
import { presentDaemonTaskDefinition, presentDaemonTaskDefinitionSummary } from './daemon-task-definition.presenter.js';

describe('presentDaemonTaskDefinition', () => {
  it('shows the registered revision, its definition and its registration time in epoch seconds', () => {
    const presented = presentDaemonTaskDefinition(revisionAfter([register(definition)], 1));

    expect(presented).toEqual({
      daemonTaskDefinitionArn: `${ARN}:daemon-task-definition/monitoring-agent:1`,
      family: 'monitoring-agent',
      revision: 1,
      cpu: '256',
      memory: '512',
      taskRoleArn: 'arn:aws:iam::123456789012:role/agent',
      containerDefinitions: [
        { name: 'agent', image: 'agent:1.0', essential: true, environment: [], mountPoints: [], secrets: [] },
        {
          name: 'shipper',
          image: 'shipper:2.1',
          essential: false,
          environment: [{ name: 'LEVEL', value: 'debug' }],
          mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs', readOnly: true }],
          secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
        },
      ],
      volumes: [{ name: 'logs', host: { sourcePath: '/var/log' } }],
      status: 'ACTIVE',
      registeredAt: 1_742_040_000.5,
      deleteRequestedAt: undefined,
      registeredBy: 'arn:aws:iam::123456789012:user/alice',
    });
  });

  it('echoes [] for environment, mountPoints and secrets a container leaves out, and keeps the ones it gives', () => {
    const [bare, full] = presentDaemonTaskDefinition(revisionAfter([register(definition)], 1)).containerDefinitions;
    expect([bare.environment, bare.mountPoints, bare.secrets]).toEqual([[], [], []]);
    expect(full.environment).toEqual(definition.containerDefinitions[1].environment);
    expect(full.mountPoints).toEqual(definition.containerDefinitions[1].mountPoints);
    expect(full.secrets).toEqual(definition.containerDefinitions[1].secrets);
  });

  it('keeps other container fields as given', () => {
    const withExtras = { ...definition, containerDefinitions: [{ ...definition.containerDefinitions[0], command: ['run', '--fast'], privileged: true }] };
    const [container] = presentDaemonTaskDefinition(revisionAfter([register(withExtras)], 1)).containerDefinitions;
    expect(container).toMatchObject({ command: ['run', '--fast'], privileged: true });
  });

  it('leaves the tags out', () => {
    const presented = presentDaemonTaskDefinition(revisionAfter([register(definition)], 1));
    expect(presented).not.toHaveProperty('tags');
  });

  it('shows an empty volume list when there are no volumes', () => {
    const presented = presentDaemonTaskDefinition(revisionAfter([register({ ...definition, volumes: [] })], 1));
    expect(presented.volumes).toEqual([]);
  });

  it('shows a revision being deleted with its deleteRequestedAt in epoch seconds', () => {
    const revision = revisionAfter([register(definition), register(definition), requestDeletion(2)], 2);
    expect(presentDaemonTaskDefinition(revision)).toMatchObject({ revision: 2, status: 'DELETE_IN_PROGRESS', deleteRequestedAt: 1_742_040_060.75 });
  });
});

describe('presentDaemonTaskDefinitionSummary', () => {
  it('names the ARN `arn`, with times in epoch seconds', () => {
    expect(presentDaemonTaskDefinitionSummary(revisionAfter([register(definition)], 1))).toEqual({
      arn: `${ARN}:daemon-task-definition/monitoring-agent:1`,
      registeredAt: 1_742_040_000.5,
      registeredBy: 'arn:aws:iam::123456789012:user/alice',
      deleteRequestedAt: undefined,
      status: 'ACTIVE',
    });
  });

  it('carries the deletion request', () => {
    const summary = presentDaemonTaskDefinitionSummary(revisionAfter([register(definition), requestDeletion(1)], 1));
    expect(summary).toMatchObject({ status: 'DELETE_IN_PROGRESS', deleteRequestedAt: 1_742_040_060.75 });
  });
});

// Fixtures last, so the scenarios read first. Fixed ids and instants.

const scope = { accountId: '123456789012', region: 'us-east-1' };
const ARN = 'arn:aws:ecs:us-east-1:123456789012';
const REGISTERED_AT = 1_742_040_000_500;
const DELETE_REQUESTED_AT = 1_742_040_060_750;

const definition = {
  cpu: '256',
  memory: '512',
  taskRoleArn: 'arn:aws:iam::123456789012:role/agent',
  containerDefinitions: [
    { name: 'agent', image: 'agent:1.0', essential: true },
    {
      name: 'shipper',
      image: 'shipper:2.1',
      essential: false,
      environment: [{ name: 'LEVEL', value: 'debug' }],
      mountPoints: [{ sourceVolume: 'logs', containerPath: '/logs', readOnly: true }],
      secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/token' }],
    },
  ],
  volumes: [{ name: 'logs', host: { sourcePath: '/var/log' } }],
  tags: [{ key: 'team', value: 'sre' }],
} satisfies DaemonTaskDefinitionSpec;

function register(spec: DaemonTaskDefinitionSpec): DaemonTaskDefinitionCommand {
  return {
    type: 'RegisterDaemonTaskDefinition',
    data: { scope, family: 'monitoring-agent', definition: spec, registeredBy: 'arn:aws:iam::123456789012:user/alice', now: REGISTERED_AT },
  };
}

function requestDeletion(revision: number): DaemonTaskDefinitionCommand {
  return { type: 'DeleteDaemonTaskDefinition', data: { reference: `monitoring-agent:${revision}`, revision, now: DELETE_REQUESTED_AT } };
}

/** Decides each command against the family so far and folds its events in; answers one revision of the result. */
function revisionAfter(commands: readonly DaemonTaskDefinitionCommand[], revision: number): DaemonTaskDefinitionRevision {
  const family = commands.reduce(
    (state, command) => fold(daemonTaskDefinitionDecider, daemonTaskDefinitionDecider.decide(command, state), state),
    daemonTaskDefinitionDecider.initialState(),
  );
  const found = family.revisions.get(revision);
  if (!found) throw new Error(`no revision ${revision}`);
  return found;
}
