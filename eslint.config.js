// ESLint with typescript-eslint's type-checked recommended rules, over every TypeScript file
// (`npm run lint`, beside dependency-cruiser and knip).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'dist-firefox/', 'packages/', 'demo-output/', 'node_modules/', 'types/', 'src/publisher/webrtc-polyfill/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      // The validators of hostile input match control characters on purpose.
      'no-control-regex': 'off'
    }
  },
  {
    // Tests, benchmarks and the demo read untyped data by design: what a browser page, CDP, a child
    // process or a JSON file returns. They keep every other type-checked rule.
    files: ['test/**', 'bench/**', 'demo/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement async interfaces with synchronous bodies.
      '@typescript-eslint/require-await': 'off'
    }
  }
)
