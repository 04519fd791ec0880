import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The architecture rules only count if they fail the lint when broken. Each case lints a snippet as if it were
 * a file of a given project, with the workspace's real ESLint configuration and Nx project graph.
 */
describe('architecture lint rules', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  });

  const ruleIdsFor = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((m) => m.ruleId ?? m.message);
  };

  it.each([
    ['Date.now()', 'export const at = Date.now();', 'no-restricted-syntax'],
    ['new Date()', 'export const at = new Date();', 'no-restricted-syntax'],
    ['Math.random()', 'export const draw = Math.random();', 'no-restricted-syntax'],
    ['process', 'export const env = process.env;', 'no-restricted-globals'],
    ['setTimeout', 'export const t = setTimeout;', 'no-restricted-globals'],
    ['a Node built-in', "import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;", 'no-restricted-imports'],
    ['a framework', "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;", 'no-restricted-imports'],
    ['the event store', "import * as store from '@daemonfleet/event-store';\nexport const s = store;", '@nx/enforce-module-boundaries'],
  ])('keeps %s out of the domain library', async (_what, code, rule) => {
    expect(await ruleIdsFor('libs/domain/src/probe.ts', code)).toContain(rule);
  });

  it('lets the domain library use plain date arithmetic on times it was given', async () => {
    expect(await ruleIdsFor('libs/domain/src/probe.ts', 'export const later = (at: number) => new Date(at + 1000).toISOString();')).toEqual([]);
  });

  it('forbids an app from importing another app', async () => {
    const code = "import * as fleet from '@daemonfleet/fleet-agent';\nexport const f = fleet;";
    expect(await ruleIdsFor('apps/deployment-orchestrator/src/probe.ts', code)).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids a library from importing an app', async () => {
    const code = "import * as gateway from '@daemonfleet/api-gateway';\nexport const g = gateway;";
    expect(await ruleIdsFor('libs/messaging/src/probe.ts', code)).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids the contracts from depending on the domain', async () => {
    const code = "import * as domain from '@daemonfleet/domain';\nexport const d = domain;";
    expect(await ruleIdsFor('libs/contracts/src/probe.ts', code)).toContain('@nx/enforce-module-boundaries');
  });

  it('keeps the testing library out of production code but lets tests use it', async () => {
    const code = "import { eventually } from '@daemonfleet/testing';\nexport const e = eventually;";
    expect(await ruleIdsFor('apps/fleet-agent/src/probe.ts', code)).toContain('@nx/enforce-module-boundaries');
    expect(await ruleIdsFor('apps/fleet-agent/src/probe.int.spec.ts', code)).toEqual([]);
  });

  it('lets the composition root assemble the apps', async () => {
    const code = "import * as fleet from '@daemonfleet/fleet-agent';\nexport const f = fleet;";
    expect(await ruleIdsFor('apps/daemonfleet/src/probe.ts', code)).toEqual([]);
  });
});
