/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } },
    ],
  },
  testMatch: ['<rootDir>/{src,sandbox,test,static}/**/*.test.ts?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/dist/'],
  testTimeout: 30000,
  maxWorkers: 2,
};
