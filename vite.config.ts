import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin'
import { defineConfig, type Plugin } from 'vite'
import { manifestFor, type BrowserName, type Json } from './src/platform/manifest.ts'

const root = import.meta.dirname
const baseManifest = JSON.parse(readFileSync(resolve(root, 'manifest.json'), 'utf8')) as Json

// The WebTorrent browser bundle ships as a file of its own at a stable path, so the viewer loads
// it only when it has a torrent to fetch (and tests can load the very same file).
function vendorWebTorrent (): Plugin {
  return {
    name: 'peerback:vendor-webtorrent',
    generateBundle () {
      this.emitFile({
        type: 'asset',
        fileName: 'vendor/webtorrent.min.js',
        source: readFileSync(resolve(root, 'node_modules/webtorrent/dist/webtorrent.min.js'))
      })
    }
  }
}

export default defineConfig(({ mode }) => {
  if (mode !== 'chrome' && mode !== 'firefox') {
    throw new Error(`vite --mode must be "chrome" or "firefox", not "${mode}"`)
  }
  const browser: BrowserName = mode
  return {
    resolve: {
      alias: {
        '@platform': resolve(root, `src/platform/${browser}.ts`),
        // parse-torrent joins file paths with Node's `path`.
        path: 'path-browserify'
      }
    },
    // Node-flavoured dependencies (queue-microtask in parse-torrent) read `global` at load time; a
    // service worker has no `window` to fall back on, so the background would die before it starts.
    define: { global: 'globalThis' },
    plugins: [
      crx({ manifest: manifestFor(browser, baseManifest) as unknown as ManifestV3Export, browser }),
      vendorWebTorrent()
    ],
    build: {
      outDir: browser === 'chrome' ? 'dist' : 'dist-firefox',
      emptyOutDir: true,
      target: browser === 'chrome' ? 'chrome120' : 'firefox128',
      rollupOptions: {
        // Pages the manifest does not name: crxjs only follows the ones it does.
        input: {
          viewer: resolve(root, 'src/viewer/viewer.html'),
          // Firefox has no sandbox pages: its copies render in a sandboxed srcdoc frame (platform/firefox.ts).
          ...(browser === 'chrome' && { sandbox: resolve(root, 'src/sandbox/sandbox.html') }),
          prefetch: resolve(root, 'src/prefetch/prefetch.html'),
          welcome: resolve(root, 'src/welcome/welcome.html')
        }
      }
    }
  }
})
