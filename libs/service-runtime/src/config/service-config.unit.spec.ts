import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidConfigurationError, loadConfig } from './service-config.js';

describe('loadConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual(defaults);
  });

  it('takes an empty or undefined variable as unset', () => {
    expect(loadConfig({ PORT: '', NATS_URL: '', LOG_LEVEL: undefined, TIME_SCALE: '' })).toEqual(defaults);
  });

  it('parses every variable', () => {
    expect(loadConfig(everyVariable)).toEqual({
      port: 9090,
      natsServers: ['nats://10.0.0.1:4222'],
      dataDir: '/var/lib/daemonfleet',
      timeScale: 600,
      logLevel: 'debug',
      defaultScope: { region: 'eu-west-3', accountId: '123456789012' },
      requestTimeoutMs: 2500,
      resyncIntervalMs: 50,
      readModelWaitMs: 100,
      projectionSnapshotEvery: 500,
      paginationSecret: 'a-secret-of-twenty-chars',
      eventStreamName: 'MY_EVENTS',
      eventStreamReplicas: 3,
      eventAckWaitMs: 2000,
      metricsPort: 9464,
      simulation: { instanceProvisioningSeconds: 90, daemonTaskStartSeconds: 2.5, appTaskStartSeconds: 0, drainSeconds: 45, metricsPeriodSeconds: 10, tasksPerInstance: 4, retryBackoffSeconds: 1.5, retryBackoffMaxSeconds: 60 },
      faultSeed: 42,
    });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/usr/bin', NODE_ENV: 'test' })).toEqual(defaults);
  });

  it('reads process.env when given no environment', () => {
    vi.stubEnv('PORT', '7070');
    vi.stubEnv('DEFAULT_REGION', 'ap-southeast-2');
    expect(loadConfig()).toMatchObject({ port: 7070, defaultScope: { region: 'ap-southeast-2' } });
  });

  it('accepts a fractional TIME_SCALE', () => {
    expect(loadConfig({ TIME_SCALE: '0.5' }).timeScale).toBe(0.5);
  });

  it('takes 0 for every simulated duration: the benchmark runs with no waiting', () => {
    const zero = { SIM_INSTANCE_PROVISIONING_SECONDS: '0', SIM_DAEMON_TASK_START_SECONDS: '0', SIM_APP_TASK_START_SECONDS: '0', SIM_DRAIN_SECONDS: '0' };
    expect(loadConfig(zero).simulation).toEqual({ ...defaults.simulation, instanceProvisioningSeconds: 0, daemonTaskStartSeconds: 0, appTaskStartSeconds: 0, drainSeconds: 0 });
  });

  describe('NATS_URL', () => {
    it('gives one server per comma-separated URL, trimmed', () => {
      expect(loadConfig({ NATS_URL: 'nats://n1:4222, nats://n2:4222' }).natsServers).toEqual(['nats://n1:4222', 'nats://n2:4222']);
    });

    it.each(['tls://n1:4222', 'ws://n1:8080', 'wss://n1:443', 'nats://n1:4222,tls://n2:4222'])('accepts %s', (url) => {
      expect(loadConfig({ NATS_URL: url }).natsServers).toEqual(url.split(','));
    });

    it.each(['http://x', 'nats://n1:4222,', 'nats://n1:4222,http://n2', 'nats://n1:4222,,nats://n2:4222', 'n1:4222', 'nats://'])('refuses %s', (url) => {
      expect(() => loadConfig({ NATS_URL: url })).toThrow(/NATS_URL/);
    });
  });

  describe('refuses an invalid value with an error naming the variable', () => {
    it.each([
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', 'eighty'],
      ['PORT', '80.5'],
      ['TIME_SCALE', '0'],
      ['TIME_SCALE', 'fast'],
      ['TIME_SCALE', '2000000'],
      ['LOG_LEVEL', 'loud'],
      ['LOG_LEVEL', 'INFO'],
      ['NATS_URL', 'http://x'],
      ['DEFAULT_ACCOUNT_ID', '123'],
      ['DEFAULT_ACCOUNT_ID', '12345678901a'],
      ['DEFAULT_REGION', 'US-EAST-1'],
      ['DEFAULT_REGION', 'moon'],
      ['REQUEST_TIMEOUT_MS', '99'],
      ['RESYNC_INTERVAL_MS', '9'],
      ['RESYNC_INTERVAL_MS', '1000.5'],
      ['READ_MODEL_WAIT_MS', '600001'],
      ['PROJECTION_SNAPSHOT_EVERY', '-1'],
      ['PROJECTION_SNAPSHOT_EVERY', '2.5'],
      ['PAGINATION_SECRET', 'too-short'],
      ['EVENT_STREAM', 'DF.EVENTS'],
      ['EVENT_STREAM', 'A'.repeat(33)],
      ['EVENT_STREAM_REPLICAS', '0'],
      ['EVENT_STREAM_REPLICAS', '6'],
      ['EVENT_STREAM_REPLICAS', '2.5'],
      ['EVENT_ACK_WAIT_MS', '499'],
      ['EVENT_ACK_WAIT_MS', 'long'],
      ['METRICS_PORT', '65536'],
      ['METRICS_PORT', '-1'],
      ['SIM_INSTANCE_PROVISIONING_SECONDS', '-1'],
      ['SIM_INSTANCE_PROVISIONING_SECONDS', 'soon'],
      ['SIM_DAEMON_TASK_START_SECONDS', '86401'],
      ['SIM_APP_TASK_START_SECONDS', '-0.5'],
      ['SIM_DRAIN_SECONDS', '-1'],
      ['METRICS_PERIOD_SECONDS', '0'],
      ['METRICS_PERIOD_SECONDS', '1.5'],
      ['METRICS_PERIOD_SECONDS', '86401'],
      ['TASKS_PER_INSTANCE', '0'],
      ['TASKS_PER_INSTANCE', '1.5'],
      ['TASKS_PER_INSTANCE', '101'],
      ['SIM_RETRY_BACKOFF_SECONDS', '-1'],
      ['SIM_RETRY_BACKOFF_MAX_SECONDS', 'forever'],
      ['FAULT_SEED', '-1'],
      ['FAULT_SEED', '1.5'],
      ['FAULT_SEED', '4294967296'],
    ])('%s=%s', (variable, value) => {
      expect(() => loadConfig({ [variable]: value })).toThrow(InvalidConfigurationError);
      expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^invalid configuration: .*\\b${variable}\\b`));
    });

    it('names every invalid variable at once', () => {
      const failure = captureError(() => loadConfig({ PORT: '70000', LOG_LEVEL: 'loud' }));
      expect(failure).toBeInstanceOf(InvalidConfigurationError);
      expect(failure.message).toMatch(/PORT/);
      expect(failure.message).toMatch(/LOG_LEVEL/);
    });
  });

  it('takes every port from 0 to 65535 and refuses the ones above', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (port) => loadConfig({ PORT: String(port) }).port === port),
    );
    fc.assert(
      fc.property(fc.integer({ min: 65536, max: 10_000_000 }), (port) => {
        expect(() => loadConfig({ PORT: String(port) })).toThrow(/PORT/);
      }),
    );
  });
});

// Fixtures last.

const defaults = {
  port: 8080,
  natsServers: null,
  dataDir: './data',
  timeScale: 1,
  logLevel: 'info',
  defaultScope: { region: 'us-east-1', accountId: '000000000000' },
  requestTimeoutMs: 10_000,
  resyncIntervalMs: 1_000,
  readModelWaitMs: 5_000,
  projectionSnapshotEvery: 10_000,
  paginationSecret: 'daemonfleet-pagination-secret-change-me',
  eventStreamName: 'DF_EVENTS',
  eventStreamReplicas: 1,
  eventAckWaitMs: 30_000,
  metricsPort: 0,
  simulation: { instanceProvisioningSeconds: 60, daemonTaskStartSeconds: 5, appTaskStartSeconds: 10, drainSeconds: 10, metricsPeriodSeconds: 60, tasksPerInstance: 1, retryBackoffSeconds: 10, retryBackoffMaxSeconds: 300 },
  faultSeed: 1,
};

const everyVariable = {
  PORT: '9090',
  NATS_URL: 'nats://10.0.0.1:4222',
  DATA_DIR: '/var/lib/daemonfleet',
  TIME_SCALE: '600',
  LOG_LEVEL: 'debug',
  DEFAULT_REGION: 'eu-west-3',
  DEFAULT_ACCOUNT_ID: '123456789012',
  REQUEST_TIMEOUT_MS: '2500',
  RESYNC_INTERVAL_MS: '50',
  READ_MODEL_WAIT_MS: '100',
  PROJECTION_SNAPSHOT_EVERY: '500',
  PAGINATION_SECRET: 'a-secret-of-twenty-chars',
  EVENT_STREAM: 'MY_EVENTS',
  EVENT_STREAM_REPLICAS: '3',
  EVENT_ACK_WAIT_MS: '2000',
  METRICS_PORT: '9464',
  SIM_INSTANCE_PROVISIONING_SECONDS: '90',
  SIM_DAEMON_TASK_START_SECONDS: '2.5',
  SIM_APP_TASK_START_SECONDS: '0',
  SIM_DRAIN_SECONDS: '45',
  METRICS_PERIOD_SECONDS: '10',
  TASKS_PER_INSTANCE: '4',
  SIM_RETRY_BACKOFF_SECONDS: '1.5',
  SIM_RETRY_BACKOFF_MAX_SECONDS: '60',
  FAULT_SEED: '42',
};

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
