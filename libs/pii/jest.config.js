module.exports = { ...require('../../jest.preset.js'), displayName: 'pii', rootDir: __dirname };
