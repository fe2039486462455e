module.exports = { ...require('../../jest.preset.js'), displayName: 'cross-border', rootDir: __dirname };
