/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tally/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tally/'],
  testRegex: '\\.(unit|int|e2e|race|browser)\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    '^@tally/event-store$': '<rootDir>/libs/event-store/src',
    '^@tally/infra$': '<rootDir>/libs/infra/src',
    '^@tally/commands$': '<rootDir>/libs/commands/src',
    '^@tally/projections$': '<rootDir>/libs/projections/src',
    '^@tally/relay$': '<rootDir>/libs/relay/src',
    '^@tally/ops$': '<rootDir>/libs/ops/src',
    '^@tally/read-models$': '<rootDir>/projections',
    '^@tally/read-models/(.*)$': '<rootDir>/projections/$1',
    '^@tally/domain$': '<rootDir>/libs/domain/src',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // One file at a time: a test that holds a transaction open (the ordering proof) holds back
  // every reader on the server, and a 5 s read-your-writes wait elsewhere must not see that.
  maxWorkers: 1,
  testTimeout: 120000,
};
