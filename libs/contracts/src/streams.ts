import type { Scope } from './scope.js';

/**
 * Stream names: the only place they are built. A stream is `<category>-<id>`; ids are `.`-joined tokens of
 * `[A-Za-z0-9_-]` (the event store's grammar), and every name part below is such a token by its own validation
 * rules (ECS names, 12-digit accounts, region codes), so the mapping is one-to-one.
 */
export const StreamCategory = {
  cluster: 'cluster',
  capacityProvider: 'capacityProvider',
  daemonTaskDefinition: 'daemonTaskDefinition',
  daemon: 'daemon',
  daemonDeployment: 'daemonDeployment',
  daemonClientToken: 'daemonClientToken',
  alarm: 'alarm',
  service: 'service',
  taskDefinition: 'taskDefinition',
  faultRule: 'faultRule',
  metric: 'metric',
} as const;
export type StreamCategory = (typeof StreamCategory)[keyof typeof StreamCategory];

/** Wall-clock width of one metric data stream (Streams.metricData): one hour. */
export const METRIC_DATA_BUCKET_MS = 3_600_000;

const scoped = (scope: Scope) => `${scope.accountId}.${scope.region}`;

export const Streams = {
  cluster: (scope: Scope, clusterName: string) => `${StreamCategory.cluster}-${scoped(scope)}.${clusterName}`,
  capacityProvider: (scope: Scope, name: string) => `${StreamCategory.capacityProvider}-${scoped(scope)}.${name}`,
  /** One stream per family: its version allocates revision numbers, so two registrations never share one. */
  daemonTaskDefinitionFamily: (scope: Scope, family: string) => `${StreamCategory.daemonTaskDefinition}-${scoped(scope)}.${family}`,
  daemon: (scope: Scope, clusterName: string, daemonName: string) =>
    `${StreamCategory.daemon}-${scoped(scope)}.${clusterName}.${daemonName}`,
  /**
   * CreateDaemon's clientToken, per account and region (decision 9): which daemon took it, whatever its name. Tokens
   * are printable ASCII, so they are encoded as base64url, whose alphabet is the id grammar's.
   */
  daemonClientToken: (scope: Scope, clientToken: string) =>
    `${StreamCategory.daemonClientToken}-${scoped(scope)}.${Buffer.from(clientToken, 'utf8').toString('base64url')}`,
  /** Deployment ids are random and globally unique, so the id alone names the stream (GET /v1/deployments/{id}). */
  daemonDeployment: (deploymentId: string) => `${StreamCategory.daemonDeployment}-${deploymentId}`,
  /** Alarm names may hold any character: they are encoded as base64url, whose alphabet is the id grammar's. */
  alarm: (scope: Scope, alarmName: string) => `${StreamCategory.alarm}-${scoped(scope)}.${Buffer.from(alarmName, 'utf8').toString('base64url') || '_'}`,
  /**
   * Metric data of one namespace (base64url, as alarm names) whose timestamps fall in one bucket of
   * METRIC_DATA_BUCKET_MS: `bucket` is floor(timestamp / METRIC_DATA_BUCKET_MS).
   */
  metricData: (scope: Scope, namespace: string, bucket: number) =>
    `${StreamCategory.metric}-${scoped(scope)}.${Buffer.from(namespace, 'utf8').toString('base64url')}.${bucket}`,
  service: (scope: Scope, clusterName: string, serviceName: string) => `${StreamCategory.service}-${scoped(scope)}.${clusterName}.${serviceName}`,
  faultRule: (scope: Scope, faultId: string) => `${StreamCategory.faultRule}-${scoped(scope)}.${faultId}`,
  /** Application task definitions (not daemons'), one stream per family. */
  taskDefinitionFamily: (scope: Scope, family: string) => `${StreamCategory.taskDefinition}-${scoped(scope)}.${family}`,
} as const;

