module.exports = { ...require('../../jest.preset.js'), displayName: 'sql-migrations', rootDir: __dirname };
