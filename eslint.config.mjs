import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Packages that tie code to a framework or an engine; domain code may import none of them. */
const INFRASTRUCTURE_PACKAGES = ['@nestjs/*', 'typeorm', 'pg', 'pg-*', '@nats-io/*', 'nats', '@electric-sql/*', 'express', 'pino', 'prom-client'];

export default [
  { ignores: ['**/node_modules', '**/dist', '**/tmp', '.nx', '.haidang', 'bench/results', 'coverage', 'test/fixtures'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@haidang/event-store/contract'],
          banTransitiveDependencies: true,
          // Real rules, no '*' catch-all (ADR 0005).
          depConstraints: [
            // Domain: deciders, events, rules. Plain TypeScript only.
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: INFRASTRUCTURE_PACKAGES },
            // Infrastructure libs: the event store, messaging, projections, embedded runtime. Their
            // specs use the harness; the no-restricted-imports rule below keeps it out of the rest.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:testing'] },
            // Test harness: may use infrastructure, and only tests may use it.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:testing'] },
            // Services: libraries only, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:testing'] },
            // Scopes: a service's own libs are for that service alone.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:cases', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cases'] },
            { sourceTag: 'scope:referrals', onlyDependOnLibsWithTags: ['scope:shared', 'scope:referrals'] },
            { sourceTag: 'scope:employment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:employment'] },
            { sourceTag: 'scope:campaigns', onlyDependOnLibsWithTags: ['scope:shared', 'scope:campaigns'] },
            { sourceTag: 'scope:cross-border', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cross-border'] },
            { sourceTag: 'scope:projections', onlyDependOnLibsWithTags: ['scope:shared', 'scope:projections'] },
            { sourceTag: 'scope:app-a', onlyDependOnLibsWithTags: ['scope:shared', 'scope:app-a'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:shared', 'scope:platform'] },
          ],
        },
      ],
    },
  },
  {
    // Only tests and benchmarks may use the test harness.
    files: ['**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', 'test/**', 'bench/**', '**/contract/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@haidang/testing', message: 'The test harness is for tests only.' }] }],
    },
  },
  {
    // Domain folders inside a service (deciders, events, rules) are framework-free too. After the
    // harness rule above: a later block's options replace an earlier one's for the same rule.
    files: ['apps/*/src/**/domain/**/*.ts', 'apps/*/src/**/*.decider.ts', 'apps/*/src/**/*.events.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@haidang/testing', message: 'The test harness is for tests only.' }],
          patterns: [{ group: INFRASTRUCTURE_PACKAGES, message: 'Domain code stays free of frameworks and engines (ADR 0005).' }],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['tools/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
