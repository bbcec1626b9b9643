// One jest configuration for every kind of test. Unit specs (*.spec.ts) sit beside pure code;
// integration (*.int-spec.ts), e2e (*.e2e-spec.ts) and chaos (*.chaos-spec.ts) tests need
// PostgreSQL and Redis: the global setup creates a migrated template database, and each test
// file clones its own database from it (see libs/testing).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@fairshare/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@bull-board)/)'],
  moduleNameMapper,
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/portal/'],
};
module.exports = {
  // A global option (ignored inside projects): hooks that start a whole system need more than 5 s
  // on a busy 2-core machine.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.{int,e2e,chaos}-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
    },
  ],
};
