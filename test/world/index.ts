// The loopback test world, shared by end-to-end tests, benchmarks and the demo. The tracker, the
// DoH endpoint and the Node client options are the publisher's own (src/publisher/).
export { startOrigin, type Origin, type OriginMode, type ExtraHeaders } from './origin.ts'
export { startTracker, type Tracker } from '../../src/publisher/tracker-server.ts'
export { startDoh, type DohEndpoint, type DohFailure, type DohQuery } from '../../src/publisher/doh-server.ts'
export { startSeeder, startLiar, loopbackClientOptions, type Seeder, type SeedOptions } from './seeder.ts'
export { launchChromium, launchPlainChromium, TEST_TLS, type ChromiumWithExtension } from './chromium.ts'
export { launchFirefox, type FirefoxWithExtension } from './firefox.ts'
export { findChromium, findFirefox } from './find-browser.ts'
