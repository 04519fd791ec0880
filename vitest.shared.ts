import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Workspace packages resolve to their TypeScript sources in tests, exactly as `paths` says for the type checker. */
const tsconfig = JSON.parse(readFileSync(`${root}tsconfig.base.json`, 'utf8')) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const workspaceAliases = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`),
  replacement: `${root}${target.replace(/^\.\//, '')}`,
}));

export const sharedConfig = defineConfig({
  plugins: [swc.vite({ tsconfigFile: `${root}tsconfig.base.json`, jsc: { target: 'es2022' } })],
  resolve: { alias: workspaceAliases },
  test: {
    environment: 'node',
    include: ['src/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    passWithNoTests: true,
    setupFiles: [`${root}tools/vitest/setup.ts`],
  },
});
