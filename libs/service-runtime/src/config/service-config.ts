import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { ACCOUNT_ID_PATTERN, REGION_PATTERN } from '@daemonfleet/contracts';

/**
 * The environment every service reads (README, configuration table). Validated once at start: a wrong value
 * stops the process with a message naming the variable.
 */
class Environment {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT: number = 8080;

  @IsOptional() @IsString() @Matches(/^(nats|tls|ws|wss):\/\/[^\s,]+(,\s*(nats|tls|ws|wss):\/\/[^\s,]+)*$/, { message: 'NATS_URL must be one or more nats:// URLs, comma-separated' })
  NATS_URL?: string;

  @IsOptional() @IsString()
  DATA_DIR: string = './data';

  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.001) @Max(1_000_000)
  TIME_SCALE: number = 1;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsOptional() @Matches(REGION_PATTERN, { message: 'DEFAULT_REGION must be a region code such as us-east-1' })
  DEFAULT_REGION: string = 'us-east-1';

  @IsOptional() @Matches(ACCOUNT_ID_PATTERN, { message: 'DEFAULT_ACCOUNT_ID must be 12 digits' })
  DEFAULT_ACCOUNT_ID: string = '000000000000';

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(600_000)
  REQUEST_TIMEOUT_MS: number = 10_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(600_000)
  RESYNC_INTERVAL_MS: number = 1_000;

  @IsOptional() @Type(() => Number) @IsInt() @Min(10) @Max(600_000)
  READ_MODEL_WAIT_MS: number = 5_000;

  // The gateway writes a snapshot of its read models to DATA_DIR after this many events folded (0: never).
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000_000)
  PROJECTION_SNAPSHOT_EVERY: number = 10_000;

  @IsOptional() @IsString() @Matches(/^.{16,}$/, { message: 'PAGINATION_SECRET must be at least 16 characters' })
  PAGINATION_SECRET: string = 'daemonfleet-pagination-secret-change-me';

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'EVENT_STREAM must be 1 to 32 letters, digits, - or _' })
  EVENT_STREAM: string = 'DF_EVENTS';

  // Replicas of the event stream when a service creates it: 3 on a 3-node NATS cluster (R3), at most 5.
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5)
  EVENT_STREAM_REPLICAS: number = 1;

  // How long a durable subscription's event may stay unacknowledged before JetStream hands it to another replica:
  // what a replica that died holding an event costs the others (a live handler keeps its event, however long).
  @IsOptional() @Type(() => Number) @IsInt() @Min(500) @Max(600_000)
  EVENT_ACK_WAIT_MS: number = 30_000;

  // Port of the process's own HTTP listener for /metrics (Prometheus) and /health; 0 picks a free port.
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  METRICS_PORT: number = 0;

  // The simulated fleet's durations, in simulated seconds (divided by TIME_SCALE); 0 makes a step immediate.
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_INSTANCE_PROVISIONING_SECONDS: number = 60;

  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_DAEMON_TASK_START_SECONDS: number = 5;

  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_APP_TASK_START_SECONDS: number = 10;

  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_DRAIN_SECONDS: number = 10;

  // How often the simulated fleet publishes its daemons' metrics to the alarm monitor (simulated seconds).
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(86_400)
  METRICS_PERIOD_SECONDS: number = 60;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  TASKS_PER_INSTANCE: number = 1;

  // Backoff of a failed daemon task start or instance provisioning: base × 2^(attempt − 1), capped (decision 21).
  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_RETRY_BACKOFF_SECONDS: number = 10;

  @IsOptional() @Type(() => Number) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(86_400)
  SIM_RETRY_BACKOFF_MAX_SECONDS: number = 300;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(4_294_967_295)
  FAULT_SEED: number = 1;
}

export interface ServiceConfig {
  readonly port: number;
  /** Set: distributed mode over NATS and JetStream. Unset: embedded mode, one process, SQLite. */
  readonly natsServers: readonly string[] | null;
  readonly dataDir: string;
  /** Simulated durations are divided by this (architecture section 5). */
  readonly timeScale: number;
  readonly logLevel: string;
  readonly defaultScope: { readonly region: string; readonly accountId: string };
  readonly requestTimeoutMs: number;
  readonly resyncIntervalMs: number;
  readonly readModelWaitMs: number;
  /** Events the gateway folds between two snapshots of its read models in DATA_DIR; 0: no snapshots. */
  readonly projectionSnapshotEvery: number;
  readonly paginationSecret: string;
  readonly eventStreamName: string;
  /** Replicas of the event stream when it is created (distributed mode). */
  readonly eventStreamReplicas: number;
  /** Redelivery delay of an unacknowledged event of a durable subscription (distributed mode). */
  readonly eventAckWaitMs: number;
  /** Port of the /metrics and /health listener of a service process; 0: a free port. */
  readonly metricsPort: number;
  readonly simulation: SimulationConfig;
  /** Seed of the fleet agent's random source for fault injection: one seed, one sequence of draws. */
  readonly faultSeed: number;
}

/** The simulated fleet (docs/rollout.md): durations in simulated seconds, before TIME_SCALE divides them. */
export interface SimulationConfig {
  readonly instanceProvisioningSeconds: number;
  readonly daemonTaskStartSeconds: number;
  readonly appTaskStartSeconds: number;
  /** Connection draining: how long a drained instance's application task keeps running after its replacement runs. */
  readonly drainSeconds: number;
  /** How often the fleet publishes its daemons' metrics (DaemonTaskStartFailures, CPUUtilization) to the alarm monitor. */
  readonly metricsPeriodSeconds: number;
  /** Room for application tasks on one instance: a service of desired count N on an empty provider brings N / this. */
  readonly tasksPerInstance: number;
  /** A failed daemon task start or provisioning is retried after this × 2^(attempt − 1), at most the max. */
  readonly retryBackoffSeconds: number;
  readonly retryBackoffMaxSeconds: number;
}

export class InvalidConfigurationError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceConfig {
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = plainToInstance(Environment, given);
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (errors.length > 0) {
    const reasons = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new InvalidConfigurationError(`invalid configuration: ${reasons.join('; ')}`);
  }
  return {
    port: parsed.PORT,
    natsServers: parsed.NATS_URL ? parsed.NATS_URL.split(',').map((url) => url.trim()) : null,
    dataDir: parsed.DATA_DIR,
    timeScale: parsed.TIME_SCALE,
    logLevel: parsed.LOG_LEVEL,
    defaultScope: { region: parsed.DEFAULT_REGION, accountId: parsed.DEFAULT_ACCOUNT_ID },
    requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
    resyncIntervalMs: parsed.RESYNC_INTERVAL_MS,
    readModelWaitMs: parsed.READ_MODEL_WAIT_MS,
    projectionSnapshotEvery: parsed.PROJECTION_SNAPSHOT_EVERY,
    paginationSecret: parsed.PAGINATION_SECRET,
    eventStreamName: parsed.EVENT_STREAM,
    eventStreamReplicas: parsed.EVENT_STREAM_REPLICAS,
    eventAckWaitMs: parsed.EVENT_ACK_WAIT_MS,
    metricsPort: parsed.METRICS_PORT,
    simulation: {
      instanceProvisioningSeconds: parsed.SIM_INSTANCE_PROVISIONING_SECONDS,
      daemonTaskStartSeconds: parsed.SIM_DAEMON_TASK_START_SECONDS,
      appTaskStartSeconds: parsed.SIM_APP_TASK_START_SECONDS,
      drainSeconds: parsed.SIM_DRAIN_SECONDS,
      metricsPeriodSeconds: parsed.METRICS_PERIOD_SECONDS,
      tasksPerInstance: parsed.TASKS_PER_INSTANCE,
      retryBackoffSeconds: parsed.SIM_RETRY_BACKOFF_SECONDS,
      retryBackoffMaxSeconds: parsed.SIM_RETRY_BACKOFF_MAX_SECONDS,
    },
    faultSeed: parsed.FAULT_SEED,
  };
}
