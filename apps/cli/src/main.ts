// The daemonfleet command line (`npx daemonfleet --help`): replay, time travel, diff and live watch of deployments.
import { parseCommandLine, UsageError, USAGE, type Command } from './cli-arguments.js';
import { printDiff } from './commands/diff.command.js';
import { printStateAt, printTimeline, stepThrough } from './commands/replay.command.js';
import { watchDeployment } from './commands/watch.command.js';
import { GatewayClient, GatewayError } from './http/gateway-client.js';
import { stepKeys } from './terminal/key-presses.js';
import { processTerminal, type Terminal } from './terminal/terminal.js';

async function run(command: Command, client: GatewayClient, terminal: Terminal): Promise<number> {
  switch (command.name) {
    case 'help':
      terminal.print(USAGE);
      return 0;
    case 'timeline':
      await printTimeline(client, terminal, command);
      return 0;
    case 'at':
      await printStateAt(client, terminal, command.deploymentId, command.version);
      return 0;
    case 'step':
      await stepThrough(client, terminal, command.deploymentId, stepKeys(), command.from);
      return 0;
    case 'diff':
      await printDiff(client, terminal, command.deploymentId, command.a, command.b);
      return 0;
    case 'watch': {
      const status = await watchDeployment(client, terminal, command.deploymentId);
      terminal.print('', `Finished: ${status}`);
      return status === 'SUCCESSFUL' ? 0 : 3;
    }
  }
}

try {
  const { url, command } = parseCommandLine(process.argv.slice(2));
  process.exitCode = await run(command, new GatewayClient(url), processTerminal());
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`daemonfleet: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    const message = error instanceof GatewayError ? `${error.type}: ${error.message}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`daemonfleet: ${message}\n`);
    process.exitCode = 1;
  }
}
