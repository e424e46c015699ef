/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  // The OTel OTLP exporters load node:http with a dynamic import(), which jest's vm sandbox only
  // runs with --experimental-vm-modules: swc turns it into a require() for that one package.
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
  testTimeout: 30000,
  setupFilesAfterEnv: ['<rootDir>/test/setup/kill-leftover-children.ts', '<rootDir>/test/setup/quiet-stdout.ts', '<rootDir>/test/setup/quiet-aws-sdk.ts'],
};
