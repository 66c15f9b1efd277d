// The house rule (docs/design.md, "Contexts and layers"), kept by `npm run lint`.
//
// Contexts are entry points and never import each other; shared layers point down only:
//   contexts → copy/, render/ → lib/ → protocol/        platform/ → render/, lib/, protocol/
// The publisher imports only protocol/. The sandbox, render/ and copy/ never reach the extension APIs.
const CONTEXTS = ['background', 'viewer', 'sandbox', 'prefetch', 'popup', 'options']

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
    {
      name: 'shared-layers-never-import-contexts',
      severity: 'error',
      from: { path: '^src/(copy|render|lib|protocol|platform)/' },
      to: { path: `^src/(${CONTEXTS.join('|')}|publisher)/` }
    },
    {
      name: 'render-is-pure-dom',
      comment: 'render/ runs in the sandbox too: it imports only itself and protocol/.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/', pathNot: '^src/(render|protocol)/' }
    },
    {
      name: 'copy-points-down',
      severity: 'error',
      from: { path: '^src/copy/' },
      to: { path: '^src/', pathNot: '^src/(copy|lib|protocol)/' }
    },
    {
      name: 'lib-points-down',
      comment: 'lib/ holds extension-wide types, messages, settings and i18n: it imports only protocol/.',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/(lib|protocol)/' }
    },
    {
      name: 'platform-points-down',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/(platform|render|lib|protocol)/' }
    },
    {
      name: 'protocol-is-pure',
      comment: 'protocol/ is shared with the publisher: npm packages and itself only.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: '^src/', pathNot: '^src/protocol/' }
    },
    {
      name: 'protocol-knows-no-runtime',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'publisher-imports-only-protocol',
      severity: 'error',
      from: { path: '^src/publisher/' },
      to: { path: '^src/', pathNot: '^src/(publisher|protocol)/' }
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
