import { parseArgs } from 'node:util';

export const USAGE = `daemonfleet: replay and follow daemon deployments, through the daemonfleet gateway

Usage:
  daemonfleet replay <deploymentId>              the timeline: each event, the counts after it, what happened and why
  daemonfleet replay <deploymentId> --at <n>     the deployment as it was after its first n events
  daemonfleet replay <deploymentId> --step       walk through its versions with keys: → or n next, ← or p previous,
                                                 g first, G last, q quit (--at <n> to start at version n)
  daemonfleet diff <deploymentId> <a> <b>        what changed between versions a and b, and the events in between
  daemonfleet watch <deploymentId>               follow a deployment live with a progress bar until it finishes

Options:
  --url <url>          the gateway (default: $DAEMONFLEET_URL, or http://127.0.0.1:8080)
  --type <type>        replay: only events of this type (repeat for several)
  --from <v>, --to <v> replay: only the events of versions v on, or up to v
  -h, --help           this text

The deployment id is the last part of its ARN (arn:aws:ecs:…:daemon-deployment/<cluster>/<daemon>/<deploymentId>).
Exit status: 0 done (watch: the deployment succeeded), 1 an error, 2 a wrong command line, 3 (watch) the deployment
finished otherwise (rolled back, stopped, failed).`;

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'timeline'; readonly deploymentId: string; readonly types: string[]; readonly fromVersion?: number; readonly toVersion?: number }
  | { readonly name: 'at'; readonly deploymentId: string; readonly version: number }
  | { readonly name: 'step'; readonly deploymentId: string; readonly from?: number }
  | { readonly name: 'diff'; readonly deploymentId: string; readonly a: number; readonly b: number }
  | { readonly name: 'watch'; readonly deploymentId: string };

export interface CommandLine {
  readonly url: string;
  readonly command: Command;
}

/** A command line that cannot be run; its message says why. */
export class UsageError extends Error {}

export function parseCommandLine(argv: readonly string[], env: Record<string, string | undefined> = process.env): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        at: { type: 'string' },
        step: { type: 'boolean' },
        type: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const url = (values.url ?? env.DAEMONFLEET_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const [name, deploymentId, ...rest] = positionals;
  if (values.help || name === undefined || name === 'help') return { url, command: { name: 'help' } };
  if (!deploymentId) throw new UsageError(`${name} needs a deployment id`);
  switch (name) {
    case 'replay': {
      expectNone(rest, name);
      if (values.step) return { url, command: { name: 'step', deploymentId, from: optionalVersion(values.at, '--at') } };
      if (values.at !== undefined) return { url, command: { name: 'at', deploymentId, version: version(values.at, '--at') } };
      return { url, command: { name: 'timeline', deploymentId, types: values.type ?? [], fromVersion: optionalVersion(values.from, '--from'), toVersion: optionalVersion(values.to, '--to') } };
    }
    case 'diff': {
      const [a, b, ...extra] = rest;
      if (a === undefined || b === undefined) throw new UsageError('diff needs a deployment id and two versions: diff <deploymentId> <a> <b>');
      expectNone(extra, name);
      return { url, command: { name: 'diff', deploymentId, a: version(a, 'a'), b: version(b, 'b') } };
    }
    case 'watch':
      expectNone(rest, name);
      return { url, command: { name: 'watch', deploymentId } };
    default:
      throw new UsageError(`unknown command ${name}: replay, diff or watch`);
  }
}

function version(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${what} must be a version: a whole number from 1, not ${text}`);
  return n;
}

const optionalVersion = (text: string | undefined, what: string) => (text === undefined ? undefined : version(text, what));

function expectNone(extra: readonly string[], command: string): void {
  if (extra.length > 0) throw new UsageError(`${command} takes no argument ${extra.join(' ')}`);
}
