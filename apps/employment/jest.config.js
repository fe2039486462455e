module.exports = { ...require('../../jest.preset.js'), displayName: 'employment', rootDir: __dirname };
