// Jest runs the TypeScript sources as native ES modules through ts-jest.
// Test files live in __tests__/ (unit and integration alike); helpers in __fixtures__/.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }
    ]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // QEMU boots under TCG take seconds; each slow test sets its own timeout too.
  testTimeout: 30000,
  // Two cores: real VMs and Docker builds in parallel workers starve each other.
  maxWorkers: 2
}
