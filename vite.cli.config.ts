// The `peerback` command line as its own npm package (cli/): one ES module for Node 20 with the
// publisher, the protocol code and the JavaScript libraries bundled in; only native WebRTC
// (@roamhq/wrtc, prebuilt per platform) stays a dependency. `npm run build:cli`.
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const root = import.meta.dirname
const { version } = JSON.parse(readFileSync(resolve(root, 'cli/package.json'), 'utf8')) as { version: string }
/** Native modules: installed as the package's dependencies (or optional ones WebTorrent does without). */
const NATIVE = ['@roamhq/wrtc', 'bufferutil', 'utf-8-validate', 'node-datachannel']

export default defineConfig({
  publicDir: false,
  resolve: {
    // simple-peer imports `webrtc-polyfill`: the publisher's stand-in gives it @roamhq/wrtc.
    alias: {
      'webrtc-polyfill': resolve(root, 'src/publisher/webrtc-polyfill/index.js'),
      'utp-native': resolve(root, 'src/publisher/no-utp.js')
    }
  },
  define: { PEERBACK_VERSION: JSON.stringify(version) },
  ssr: { noExternal: true, external: NATIVE },
  build: {
    ssr: resolve(root, 'src/publisher/bin.ts'),
    outDir: resolve(root, 'cli/dist'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: {
      external: [...NATIVE, ...builtinModules, ...builtinModules.map((name) => `node:${name}`)],
      output: { format: 'es', entryFileNames: 'peerback.js', codeSplitting: false, banner: '#!/usr/bin/env node' }
    }
  }
})
