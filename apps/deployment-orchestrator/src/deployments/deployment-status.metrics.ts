import { Inject, Injectable } from '@nestjs/common';
import { METRICS, type ServiceMetrics } from '@daemonfleet/service-runtime';
import { deploymentIdOf } from './active-deployments.js';

/**
 * The gauge `daemonfleet_deployments{status}`: how many deployments are in each status, as this replica's views see
 * them (every replica sees every deployment, so each reports the whole count: aggregate replicas with max, not sum).
 * One entry per deployment ever made: a status string, small next to the deployment's own events.
 */
@Injectable()
export class DeploymentStatusMetrics {
  private readonly statuses = new Map<string, string>();

  constructor(@Inject(METRICS) metrics: ServiceMetrics) {
    const statuses = this.statuses;
    metrics.gauge({
      name: 'daemonfleet_deployments',
      help: 'Deployments by status, as the views of this orchestrator replica see them',
      labelNames: ['status'],
      collect() {
        const counts = new Map<string, number>();
        for (const status of statuses.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
        this.reset();
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
  }

  /** The deployment's status after one of its events. */
  record(streamId: string, status: string): void {
    if (status !== 'NONE') this.statuses.set(deploymentIdOf(streamId), status);
  }
}
