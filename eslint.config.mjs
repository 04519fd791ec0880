import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/**
 * The architecture, enforced (architecture.md section 6):
 * - `type:*` says what a project is, `scope:*` which service it belongs to. Every project carries one of each.
 * - apps depend on libs, never on each other; only the composition root (scope:system) assembles apps.
 * - the domain depends on contracts alone, and reads no clock, randomness, Node built-in or framework.
 */
const depConstraints = [
  { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:app', 'type:infrastructure', 'type:contracts', 'type:domain'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts', 'type:domain'] },
  // The testing library is generic (servers, polling): it depends on no project, so every project's tests can use it.
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:infrastructure', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:contracts'],
    bannedExternalImports: ['@nestjs/*', 'nats', '@nats-io/*', 'better-sqlite3', 'pino', 'pino-*', 'rxjs', 'express', 'node:*', ...builtinModules],
  },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:system', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway', 'scope:orchestrator', 'scope:fleet', 'scope:alarms'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:orchestrator', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:fleet', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:alarms', onlyDependOnLibsWithTags: ['scope:shared'] },
  // The command line talks to the gateway over HTTP only; it may share libraries, never another app's code.
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

/** Tests may also use the testing library; production code may not. */
const testDepConstraints = depConstraints.map((c) =>
  c.sourceTag.startsWith('type:') ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
);

/** Time, ids and randomness arrive on commands: the domain must stay a pure function of its inputs. */
const domainPurity = {
  'no-restricted-syntax': [
    'error',
    { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The domain reads no clock: take the time from the command.' },
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The domain reads no clock: take the time from the command.' },
    { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'The domain uses no randomness: take ids and draws from the command.' },
  ],
  'no-restricted-globals': [
    'error',
    ...['process', 'performance', 'crypto', 'setTimeout', 'setInterval', 'setImmediate', 'Buffer', 'require', 'fetch'].map((name) => ({
      name,
      message: 'The domain is pure: no runtime, timers, randomness or I/O.',
    })),
  ],
  'no-restricted-imports': [
    'error',
    {
      paths: builtinModules.map((name) => ({ name, message: 'No Node built-ins in the domain.' })),
      patterns: [
        { group: ['node:*'], message: 'No Node built-ins in the domain.' },
        { group: ['@nestjs/*', 'nats', '@nats-io/*', 'better-sqlite3', 'pino', 'rxjs', 'express'], message: 'No frameworks or I/O in the domain.' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...nx.configs['flat/base'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Test code: specs, the test support a project keeps under src/testing (contract suites, harnesses), and
    // benchmark scripts under src/bench, which drive the system as tests do.
    files: ['**/*.spec.ts', '**/src/testing/**/*.ts', '**/src/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints }] },
  },
  { files: ['libs/domain/src/**/*.ts'], ignores: ['**/*.spec.ts'], rules: domainPurity },
  // Test configuration files share the workspace's vitest settings by relative import; they are not project code.
  { files: ['**/vitest.config.ts', '**/vitest.*.config.ts', 'vitest.shared.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
  {
    files: ['**/*.mjs', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // pm2 reads its ecosystem file as CommonJS.
    files: ['deploy/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
