// `npm test` runs the unit project (logic, services, components, pages with a fake wx);
// `npm run test:e2e` runs the journey against the real Go server.
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/unit/**/*.test.js', '<rootDir>/test/components/**/*.test.js', '<rootDir>/test/pages/**/*.test.js'],
      setupFiles: ['<rootDir>/test/helpers/setup.js'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
    },
  ],
}
