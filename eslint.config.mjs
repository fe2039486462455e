import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** The test harness is for tests and benchmarks only. */
const HARNESS = { name: '@haidang/testing', message: 'The test harness is for tests only.' };

/** Inside a service: the read side (projections) and the queries over it. The write side asks them through ports. */
const READ_SIDE = {
  group: ['**/projections/**', '**/queries/**'],
  message: 'The write side reaches read models through ports its application defines, wired in the module (ADR 0009).',
};

/** Inside a service: aggregates, their commands, handlers and routes. Projections fold events; they never write. */
const WRITE_SIDE = {
  group: ['**/*.aggregate', '**/*-commands', '**/*.handler', '**/*.routes', '**/*.repository', '**/*.http.controller'],
  message: 'The read side depends on events and domain types only, never on the write side (ADR 0009).',
};

/** `new Date()` inside a service: time comes from the injected clock, so tests and deciders control it. */
const NO_WALL_CLOCK = {
  selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
  message: 'Use the injected clock (ServiceInfrastructure.clock / CommandPipeline.clock), not new Date().',
};

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
            // The launcher, the token tool and the benchmarks: libraries only; they find services by their descriptors at run time.
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:testing'] },
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
      'no-restricted-imports': ['error', { paths: [HARNESS] }],
    },
  },
  {
    // The write side of a service: everything but the read side, the queries, the wiring at the top
    // of src/, the integration folder (projections that write an outbox) and the demo loader.
    files: ['apps/*/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.test-fixtures.ts',
      'apps/*/src/*.ts',
      'apps/*/src/projections/**',
      'apps/*/src/queries/**',
      'apps/*/src/integration/**',
      'apps/*/src/demo/**',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [HARNESS], patterns: [READ_SIDE] }] },
  },
  {
    files: ['apps/*/src/projections/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [HARNESS], patterns: [WRITE_SIDE] }] },
  },
  {
    // A service's code outside tests and its demo client reads time from its clock.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test-fixtures.ts', 'apps/*/src/demo/**'],
    rules: { 'no-restricted-syntax': ['error', NO_WALL_CLOCK] },
  },
  {
    // Domain folders inside a service (deciders, events, rules) are framework-free too. After the
    // harness rule above: a later block's options replace an earlier one's for the same rule.
    files: ['apps/*/src/**/domain/**/*.ts', 'apps/*/src/**/*.decider.ts', 'apps/*/src/**/*.events.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [HARNESS],
          patterns: [{ group: INFRASTRUCTURE_PACKAGES, message: 'Domain code stays free of frameworks and engines (ADR 0005).' }, READ_SIDE],
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
    files: ['tools/**/*.ts', 'bench/**/*.ts', 'test/drills/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
