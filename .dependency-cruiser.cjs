// The house rule (docs/design.md, "Contexts and layers"), kept by `npm run lint`.
//
// Contexts are entry points and never import each other; shared layers point down only:
//   contexts → copy/, render/ → lib/ → protocol/        platform/ → render/, lib/, protocol/
// The publisher imports only protocol/. The sandbox, render/ and copy/ never reach the extension APIs.
const CONTEXTS = ['background', 'viewer', 'sandbox', 'prefetch', 'popup', 'options', 'welcome']
/** Each shared layer (and the publisher), and what it may import: itself and the layers below. */
const LAYERS = {
  copy: ['copy', 'lib', 'protocol'],
  render: ['render', 'protocol'], // the sandbox imports it: pure DOM code
  platform: ['platform', 'render', 'lib', 'protocol'],
  lib: ['lib', 'protocol'],
  protocol: ['protocol'], // shared with the publisher: npm packages and itself only
  publisher: ['publisher', 'protocol']
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...CONTEXTS.map((context) => ({
      name: `${context}-is-an-entry-point`,
      comment: `src/${context}/ is a context: it imports its own files and the shared layers, never another context.`,
      severity: 'error',
      from: { path: `^src/${context}/` },
      to: { path: `^src/(${CONTEXTS.filter((other) => other !== context).join('|')}|publisher)/` }
    })),
    ...Object.entries(LAYERS).map(([layer, allowed]) => ({
      name: `${layer}-points-down`,
      comment: `src/${layer}/ imports only src/{${allowed.join(',')}}/.`,
      severity: 'error',
      from: { path: `^src/${layer}/` },
      to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})/` }
    })),
    {
      name: 'protocol-knows-no-runtime',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'no-extension-apis-in-shared-dom-code',
      comment: 'The sandbox renders hostile pages; copy/ and render/ are plain DOM code. None of them may reach the extension APIs.',
      severity: 'error',
      from: { path: '^src/(sandbox|render|copy)/' },
      to: { path: '(^|/)node_modules/webextension-polyfill/|^src/platform/', reachable: true }
    },
    {
      name: 'no-node-in-the-extension',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/publisher/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.extension.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '^src/publisher/webrtc-polyfill/' }
  }
}
