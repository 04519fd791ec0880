import { expect } from 'vitest';
import type { FleetWorld } from './fleet-world.js';
import type { Json } from './http-client.js';

/** After a rollout: every daemon task on the target, no instance drained twice, no application task lost (from the store). */
export async function expectRolloutIntact(w: FleetWorld, deploymentId: string, { service, desired }: { service: string; desired: number }): Promise<void> {
  const final = await w.deployment(deploymentId);
  expect(final.status).toBe('SUCCESSFUL');
  const tasks = await w.daemonTasks('agent');
  expect(tasks).toHaveLength(desired);
  expect(new Set(tasks.map((t) => t.containerInstanceArn)).size).toBe(desired);
  expect(final.targetDaemonRevision.totalRunningInstanceCount).toBe(desired);
  await w.serviceSteady(service, desired);
  await expectNoInstanceDrainedTwice(w);
  await expectNoApplicationTaskLost(w, service, desired);
}

/** The store shows each instance drained at most once, and each drained instance gone at the end. */
export async function expectNoInstanceDrainedTwice(w: FleetWorld): Promise<void> {
  const drains = (await w.fleetEvents()).filter((e) => e.type === 'InstanceDrainStarted').map((e) => (e.data as Json).instanceId);
  expect(new Set(drains).size).toBe(drains.length);
}

/**
 * Every application task a drain stopped had a running replacement of its service first: replaying the fleet
 * events, the service's RUNNING task count never drops below what it was once it first reached `desired`.
 */
export async function expectNoApplicationTaskLost(w: FleetWorld, serviceName: string, desired: number): Promise<void> {
  const serviceArn = `arn:aws:ecs:us-east-1:000000000000:service/${w.cluster}/${serviceName}`;
  const running = new Set<string>();
  const ofService = new Set<string>();
  let reached = false;
  for (const event of await w.fleetEvents()) {
    const data = event.data as Json;
    if (event.type === 'AppTaskPlaced' && data.serviceArn === serviceArn) ofService.add(data.taskArn);
    if (!ofService.has(data.taskArn)) continue;
    if (event.type === 'AppTaskStarted') running.add(data.taskArn);
    if (event.type === 'AppTaskStopped') {
      running.delete(data.taskArn);
      if (reached) expect(running.size, `a task of ${serviceName} stopped before its replacement ran`).toBeGreaterThanOrEqual(desired);
    }
    if (running.size >= desired) reached = true;
  }
  expect(running.size).toBe(desired);
}

/**
 * The most instances that were draining at the same moment for one deployment, replaying the fleet's events
 * (a drained instance stops draining when it is deregistered).
 */
export async function maxConcurrentDrains(w: FleetWorld, deploymentId: string): Promise<number> {
  const draining = new Set<string>();
  let max = 0;
  for (const event of await w.fleetEvents()) {
    const data = event.data as Json;
    if (event.type === 'InstanceDrainStarted' && data.deploymentId === deploymentId) draining.add(data.instanceId);
    if (event.type === 'InstanceDeregistered') draining.delete(data.instanceId);
    max = Math.max(max, draining.size);
  }
  return max;
}
