import {
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterDaemonTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { eventually } from '@daemonfleet/testing';
import { expect } from 'vitest';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const arn = (resource: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:${resource}`;

/**
 * A cluster with a Managed Instances provider, three revisions of a daemon task definition and an application task
 * definition, made with the ECS client only. Every name starts with the cluster's, so scenarios share a system.
 */
export class EcsWorld {
  constructor(
    readonly ecs: ECSClient,
    readonly cluster: string,
  ) {}

  get provider(): string {
    return `${this.cluster}-mi`;
  }

  get agentFamily(): string {
    return `${this.cluster}-agent`;
  }

  async create(): Promise<void> {
    await this.ecs.send(new CreateClusterCommand({ clusterName: this.cluster, tags: [{ key: 'team', value: 'sre' }] }));
    await this.ecs.send(
      new CreateCapacityProviderCommand({
        name: this.provider,
        cluster: this.cluster,
        managedInstancesProvider: {
          infrastructureRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRole`,
          instanceLaunchTemplate: {
            ec2InstanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceProfile`,
            networkConfiguration: { subnets: ['subnet-0123456789abcdef0'] },
          },
        },
      }),
    );
    for (const version of ['1.0', '2.0', '3.0'])
      await this.ecs.send(
        new RegisterDaemonTaskDefinitionCommand({
          family: this.agentFamily,
          cpu: '256',
          memory: '512',
          containerDefinitions: [{ name: 'agent', image: `public.ecr.aws/example/agent:${version}`, memory: 128 }],
        }),
      );
    await this.ecs.send(
      new RegisterTaskDefinitionCommand({ family: `${this.cluster}-web`, containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/example/web:1.0', memory: 256 }] }),
    );
  }

  /** A service of `desiredCount` tasks on the provider (it brings that many instances); waits until they all run. */
  async service(name: string, desiredCount: number): Promise<void> {
    await this.ecs.send(
      new CreateServiceCommand({
        serviceName: name,
        cluster: this.cluster,
        taskDefinition: `${this.cluster}-web:1`,
        desiredCount,
        capacityProviderStrategy: [{ capacityProvider: this.provider, weight: 1 }],
      }),
    );
    await this.serviceSteady(name, desiredCount);
  }

  async serviceSteady(name: string, runningCount: number): Promise<void> {
    await eventually(
      async () => {
        const { services } = await this.ecs.send(new DescribeServicesCommand({ cluster: this.cluster, services: [name] }));
        expect(services?.[0]).toMatchObject({ runningCount, pendingCount: 0 });
      },
      { timeoutMs: 30_000, what: `service ${name} to run ${runningCount} tasks` },
    );
  }

  daemonTaskDefinition(revision: number): string {
    return arn(`daemon-task-definition/${this.agentFamily}:${revision}`);
  }

  daemonArn(name: string): string {
    return arn(`daemon/${this.cluster}/${name}`);
  }
}
