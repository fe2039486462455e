module.exports = { ...require('../../jest.preset.js'), displayName: 'jurisdiction', rootDir: __dirname };
