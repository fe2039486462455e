// Shared Jest settings. NestJS 12 and NATS.js v3 ship ESM, which Jest on Node 20 cannot require,
// so @swc/jest compiles our TypeScript and those packages to CommonJS (swc does not type-check:
// `npm run typecheck` does).
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@nats-io|jose|file-type|load-esm|uid|strtok3|token-types|@tokenizer|uint8array-extras)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper,
  testMatch: ['**/*.(unit|int|e2e).spec.ts'],
  // One PostgreSQL and one nats-server for the whole run when DATABASE_URL / NATS_URL are unset.
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest/global-teardown.ts'),
};
