// The loopback test world, shared by end-to-end tests, benchmarks and the demo.
export { startOrigin, type Origin, type OriginMode, type ExtraHeaders } from './origin.ts'
export { startTracker, type Tracker } from './tracker.ts'
export { startDoh, type DohEndpoint, type DohFailure, type DohQuery } from './doh.ts'
export { startSeeder, loopbackClientOptions, type Seeder, type SeedOptions } from './seeder.ts'
export { launchChromium, type ChromiumWithExtension } from './chromium.ts'
export { launchFirefox, type FirefoxWithExtension } from './firefox.ts'
export { findChromium, findFirefox } from './find-browser.ts'
