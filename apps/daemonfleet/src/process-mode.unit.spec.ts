import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- scripts/ is no project to depend on: these are its unit tests
import { parseUpArguments, processSettings, UsageError } from '../../../scripts/process-mode/arguments.mjs';

const ONE_EACH = { 'fleet-agent': 1, 'alarm-monitor': 1, 'deployment-orchestrator': 1, 'api-gateway': 1 };

describe('npm run up: the --scale arguments', () => {
  it('runs one process of each service when nothing is scaled', () => {
    expect(parseUpArguments([])).toEqual({ scale: ONE_EACH, help: false });
  });

  it('takes --scale SERVICE=COUNT, repeated, in both spellings docker compose accepts', () => {
    const { scale } = parseUpArguments(['--scale', 'deployment-orchestrator=2', '--scale=fleet-agent=3', '--scale', 'api-gateway=2']);
    expect(scale).toEqual({ ...ONE_EACH, 'deployment-orchestrator': 2, 'fleet-agent': 3, 'api-gateway': 2 });
  });

  it('answers help for --help and -h', () => {
    expect(parseUpArguments(['--help']).help).toBe(true);
    expect(parseUpArguments(['--scale', 'fleet-agent=2', '-h']).help).toBe(true);
  });

  it.each([
    [['--scale', 'orchestrator=2'], /unknown service "orchestrator" \(services: fleet-agent, alarm-monitor, deployment-orchestrator, api-gateway\)/],
    [['--scale', 'fleet-agent=0'], /count of fleet-agent processes must be a whole number of at least 1/],
    [['--scale', 'fleet-agent=-1'], /at least 1/],
    [['--scale', 'fleet-agent=1.5'], /at least 1/],
    [['--scale', 'fleet-agent=two'], /at least 1/],
    [['--scale', 'fleet-agent='], /at least 1/],
    [['--scale', 'fleet-agent'], /expected SERVICE=COUNT/],
    [['--scale'], /--scale needs a SERVICE=COUNT/],
    [['--scale', 'fleet-agent=2', '--scale', 'fleet-agent=3'], /fleet-agent is scaled more than once/],
    [['fleet-agent=2'], /unknown argument "fleet-agent=2"/],
    [['--replicas', '2'], /unknown argument "--replicas"/],
  ])('refuses %j with a message that says what is wrong', (argv, message) => {
    expect(() => parseUpArguments(argv)).toThrow(UsageError);
    expect(() => parseUpArguments(argv)).toThrow(message);
  });
});

describe('npm run up: settings from the environment', () => {
  it('uses the local nats-server and port 8080 by default', () => {
    expect(processSettings(ONE_EACH, {})).toEqual({ natsUrl: 'nats://127.0.0.1:4222', gatewayPorts: [8080] });
  });

  it('gives the gateways consecutive ports from PORT', () => {
    expect(processSettings({ ...ONE_EACH, 'api-gateway': 3 }, { PORT: '9000', NATS_URL: 'nats://a:4222,nats://b:4222' })).toEqual({
      natsUrl: 'nats://a:4222,nats://b:4222',
      gatewayPorts: [9000, 9001, 9002],
    });
  });

  it.each([
    [{ PORT: '0' }, 1, /PORT=0/],
    [{ PORT: 'http' }, 1, /PORT=http/],
    [{ PORT: '65535' }, 2, /need 2 port\(s\) from PORT up/],
    [{ NATS_URL: '127.0.0.1:4222' }, 1, /NATS_URL=127.0.0.1:4222: expected one or more nats:\/\/host:port URLs/],
    [{ NATS_URL: 'nats://a:4222,' }, 1, /expected one or more nats:\/\/host:port URLs/],
    [{ METRICS_PORT: '9100' }, 1, /METRICS_PORT=9100: in process mode every process's metrics listener takes a free port/],
  ])('refuses %j (gateways: %i)', (env, gateways, message) => {
    expect(() => processSettings({ ...ONE_EACH, 'api-gateway': gateways }, env)).toThrow(message);
  });

  it('accepts METRICS_PORT=0, what every process gets anyway', () => {
    expect(processSettings(ONE_EACH, { METRICS_PORT: '0' }).gatewayPorts).toEqual([8080]);
  });
});
