// The loopback test world, shared by end-to-end tests, benchmarks and the demo. The tracker, the
// DoH endpoint and the Node client options are the publisher's own (src/publisher/).
export { startOrigin, type Origin } from './origin.ts'
export { startTracker, type Tracker } from '../../src/publisher/tracker-server.ts'
export { startDoh, type DohEndpoint } from '../../src/publisher/doh-server.ts'
export { startSeeder, startLiar, type Seeder } from './seeder.ts'
export { launchChromium, launchPlainChromium, TEST_TLS, type ChromiumWithExtension } from './chromium.ts'
export { launchFirefox } from './firefox.ts'
export { findChromium } from './find-browser.ts'
export { startArchive, type Archive } from './archive.ts'
export { nodeResolverOf, startBind, type Bind } from './bind.ts'
export { startNginx, type Nginx } from './nginx.ts'
export { freePort } from './free-port.ts'
