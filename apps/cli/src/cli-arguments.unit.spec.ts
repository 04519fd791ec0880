import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './cli-arguments.js';

describe('command line', () => {
  const parse = (...args: string[]) => parseCommandLine(args, {});

  it('reads each command with its options; the gateway from --url, DAEMONFLEET_URL, or the default', () => {
    expect(parse('replay', 'dep1')).toEqual({ url: 'http://127.0.0.1:8080', command: { name: 'timeline', deploymentId: 'dep1', types: [] } });
    expect(parse('replay', 'dep1', '--type', 'A', '--type', 'B', '--from', '3', '--to', '9').command).toEqual({ name: 'timeline', deploymentId: 'dep1', types: ['A', 'B'], fromVersion: 3, toVersion: 9 });
    expect(parse('replay', 'dep1', '--at', '5').command).toEqual({ name: 'at', deploymentId: 'dep1', version: 5 });
    expect(parse('replay', 'dep1', '--step', '--at', '4').command).toEqual({ name: 'step', deploymentId: 'dep1', from: 4 });
    expect(parse('diff', 'dep1', '2', '7').command).toEqual({ name: 'diff', deploymentId: 'dep1', a: 2, b: 7 });
    expect(parse('watch', 'dep1', '--url', 'http://gw:9000/').url).toBe('http://gw:9000');
    expect(parseCommandLine(['watch', 'dep1'], { DAEMONFLEET_URL: 'http://env:1' }).url).toBe('http://env:1');
    expect(parse().command).toEqual({ name: 'help' });
    expect(parse('watch', 'dep1', '-h').command).toEqual({ name: 'help' });
  });

  it.each([
    [['replay'], 'replay needs a deployment id'],
    [['diff', 'dep1', '2'], 'diff needs a deployment id and two versions'],
    [['replay', 'dep1', '--at', '0'], '--at must be a version'],
    [['replay', 'dep1', '--at', '2.5'], '--at must be a version'],
    [['diff', 'dep1', '1', 'two'], 'b must be a version'],
    [['watch', 'dep1', 'extra'], 'watch takes no argument extra'],
    [['rewind', 'dep1'], 'unknown command rewind'],
    [['replay', 'dep1', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j: %s', (args, message) => {
    expect(() => parse(...args)).toThrow(UsageError);
    expect(() => parse(...args)).toThrow(message);
  });
});
