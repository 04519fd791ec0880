import { defineConfig } from 'vitest/config';

// One vitest process runs every project; each project's own vitest.config.ts names it and adds its settings.
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/vitest.config.ts'],
  },
});
