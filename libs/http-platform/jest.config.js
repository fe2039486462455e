module.exports = { ...require('../../jest.preset.js'), displayName: 'http-platform', rootDir: __dirname };
