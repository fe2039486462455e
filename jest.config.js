// Every project's Jest config; `npm test` runs them all, `nx test <project>` runs one.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/test/jest.config.js'],
};
