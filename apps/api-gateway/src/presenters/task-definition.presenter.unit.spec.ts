import { describe, expect, it } from 'vitest';
import { taskDefinitionDecider } from '@daemonfleet/domain';
import { presentTaskDefinition } from './task-definition.presenter.js';

describe('presentTaskDefinition', () => {
  it('shows the registered definition, ACTIVE, with its identity and registration time, without its tags', () => {
    const family = taskDefinitionDecider.evolve(taskDefinitionDecider.initialState(), {
      type: 'TaskDefinitionRegistered',
      data: {
        taskDefinitionArn: `${ARN}:task-definition/web:3`,
        family: 'web',
        revision: 3,
        definition: { family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1.0' }], cpu: '256', tags: [{ key: 'team', value: 'sre' }] },
        registeredAt: 1_742_040_000_500,
      },
    });

    expect(presentTaskDefinition(family.revisions.get(3)!)).toEqual({
      taskDefinitionArn: `${ARN}:task-definition/web:3`,
      family: 'web',
      revision: 3,
      containerDefinitions: [{ name: 'web', image: 'web:1.0' }],
      cpu: '256',
      status: 'ACTIVE',
      registeredAt: 1_742_040_000.5,
    });
  });
});

const ARN = 'arn:aws:ecs:us-east-1:123456789012';
