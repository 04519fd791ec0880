import type { DaemonTaskDefinitionEvent } from '@daemonfleet/contracts';
import { DeciderSpecification } from '@daemonfleet/testing';
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider.js';
import { DaemonTaskDefinitionNotActive, DaemonTaskDefinitionNotFound } from '../shared/domain-errors.js';
import { daemonTaskDefinitionDecider, latestActiveRevision } from './daemon-task-definition.decider.js';

const given = DeciderSpecification.for(daemonTaskDefinitionDecider);

describe('daemon task definition family', () => {
  it('gives the first registration revision 1', () => given([]).when(register()).then([registered(1)]));

  it('numbers each later registration one higher', () => given([registered(1), registered(2)]).when(register()).then([registered(3)]));

  it('marks an ACTIVE revision DELETE_IN_PROGRESS on delete', () =>
    given([registered(1)]).when(deleteRevision(1)).then([{ type: 'DaemonTaskDefinitionDeletionRequested', data: { daemonTaskDefinitionArn: arn(1), revision: 1, deleteRequestedAt: later } }]));

  it('refuses to delete a revision twice', () =>
    given([registered(1), deletionRequested(1)]).when(deleteRevision(1)).thenThrows(DaemonTaskDefinitionNotActive));

  it('refuses to delete an unknown revision', () => given([registered(1)]).when(deleteRevision(2)).thenThrows(DaemonTaskDefinitionNotFound));

  it('completes a requested deletion', () =>
    given([registered(1), deletionRequested(1)])
      .when({ type: 'CompleteDaemonTaskDefinitionDeletion', data: { revision: 1, now: later } })
      .then([{ type: 'DaemonTaskDefinitionDeleted', data: { daemonTaskDefinitionArn: arn(1), revision: 1, deletedAt: later } }]));

  it('does nothing when asked to complete a deletion nobody requested', () =>
    given([registered(1)]).when({ type: 'CompleteDaemonTaskDefinitionDeletion', data: { revision: 1, now: later } }).thenNothingHappened());

  it('resolves a bare family to the latest ACTIVE revision', () => {
    const state = fold(daemonTaskDefinitionDecider, [registered(1), registered(2), deletionRequested(2)]);
    expect(latestActiveRevision(state)?.revision).toBe(1);
  });
});

const scope = { accountId: '123456789012', region: 'us-east-1' };
const now = 1_742_040_000_000;
const later = now + 60_000;
const definition = { containerDefinitions: [{ name: 'agent', image: 'agent:1.0', essential: true }], volumes: [], tags: [] };
const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/agent:${revision}`;
const register = () =>
  ({ type: 'RegisterDaemonTaskDefinition', data: { scope, family: 'agent', definition, registeredBy: 'arn:aws:iam::123456789012:user/admin', now } }) as const;
const deleteRevision = (revision: number) => ({ type: 'DeleteDaemonTaskDefinition', data: { reference: `agent:${revision}`, revision, now: later } }) as const;
const registered = (revision: number): DaemonTaskDefinitionEvent => ({
  type: 'DaemonTaskDefinitionRegistered',
  data: { daemonTaskDefinitionArn: arn(revision), family: 'agent', revision, definition, registeredAt: now, registeredBy: 'arn:aws:iam::123456789012:user/admin' },
});
const deletionRequested = (revision: number): DaemonTaskDefinitionEvent => ({
  type: 'DaemonTaskDefinitionDeletionRequested',
  data: { daemonTaskDefinitionArn: arn(revision), revision, deleteRequestedAt: later },
});
