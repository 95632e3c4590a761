// Lint: typescript-eslint's strict type-checked rules, with the few exceptions below (each says why).
// Formatting is Prettier's job (eslint-config-prettier turns the style rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'console/**', 'deploy/**', 'docker/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans print as they should in messages and SQL identifiers.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Claims, headers and rows are typed by libraries but supplied by callers: the hub checks them
      // again at run time on purpose (fail closed), which this rule would call "unnecessary".
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Resolvers, hooks and plugin callbacks are async by contract even when one needs no await.
      '@typescript-eslint/require-await': 'off',
      // `() => void x()` in short callbacks reads fine; the rule mostly flags those.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Without noUncheckedIndexedAccess, `!` marks a look-up the code has just made sure of (a map
      // filled from the same list); rewriting each as a throw adds branches that cannot run.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // type-graphql object types are plain shapes on the wire: resolvers return object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // CLI commands load their module on demand so that `hub --help` and simple commands start fast.
    files: ['src/cli/commands/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
