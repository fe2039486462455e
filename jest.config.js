// Every project's Jest config; `npm test` runs them all, `nx test <project>` runs one.
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const projectConfigs = ['libs', 'apps'].flatMap((dir) =>
  existsSync(join(__dirname, dir))
    ? readdirSync(join(__dirname, dir))
        .map((name) => join(__dirname, dir, name, 'jest.config.js'))
        .filter((file) => existsSync(file))
    : [],
);

module.exports = { projects: [...projectConfigs, join(__dirname, 'test/jest.config.js')] };
