import type { CapacityProviderType, EpochMillis, Tag } from '../events/index.js';

/** Replies between services carry domain units (epoch milliseconds); the edge converts to the wire's. */
export interface ClusterRecord {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly status: 'ACTIVE';
  readonly tags: readonly Tag[];
  readonly createdAt: EpochMillis;
}

/** DeleteCluster's answer: the cluster, now INACTIVE. */
export interface DeletedClusterRecord {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly status: 'INACTIVE';
  readonly tags: readonly Tag[];
  readonly createdAt: EpochMillis;
}

export interface CapacityProviderRecord {
  readonly capacityProviderArn: string;
  readonly name: string;
  readonly type: CapacityProviderType;
  readonly clusterName: string | null;
  readonly status: 'ACTIVE';
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmStateRecord {
  readonly alarmName: string;
  /** null when no alarm of that name exists. */
  readonly stateValue: AlarmStateValue | null;
}

export interface CreateDaemonResult {
  readonly daemonArn: string;
  readonly status: 'ACTIVE';
  readonly createdAt: EpochMillis;
  readonly deploymentArn: string;
}

/** UpdateDaemon's and DeleteDaemon's answer (spec 2.6, 2.7). */
export interface DaemonCommandResult {
  readonly daemonArn: string;
  readonly status: 'ACTIVE' | 'DELETE_IN_PROGRESS';
  readonly createdAt: EpochMillis;
  readonly updatedAt: EpochMillis;
  readonly deploymentArn: string;
}

export interface ServicePong {
  readonly service: string;
}
