/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  testTimeout: 30000,
  setupFilesAfterEnv: ['<rootDir>/test/setup/kill-leftover-children.ts', '<rootDir>/test/setup/quiet-stdout.ts', '<rootDir>/test/setup/quiet-aws-sdk.ts'],
};
