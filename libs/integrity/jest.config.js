module.exports = { ...require('../../jest.preset.js'), displayName: 'integrity', rootDir: __dirname };
