import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts']
        }
      },
      {
        test: {
          // The loopback test world itself, in Node: HTTP only, no browser, no WebRTC.
          name: 'node',
          include: ['test/node/**/*.test.ts']
        }
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          setupFiles: ['test/browser/warnings.setup.ts'],
          // Real browsers on two cores: one file at a time, generous timeouts.
          fileParallelism: false,
          testTimeout: 90_000,
          // No retries: a test that fails only sometimes is a bug to find, not to run again.
          retry: 0,
          hookTimeout: 60_000,
          // What the background does after a page loads takes a moment on a cold, busy machine.
          expect: { poll: { timeout: 10_000, interval: 100 } }
        }
      }
    ]
  }
})
