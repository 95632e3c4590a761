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
      // type-graphql's own API takes resolver and type classes as `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // type-graphql needs classes to hang decorators on, some with no members of their own.
      '@typescript-eslint/no-extraneous-class': ['error', { allowEmpty: true, allowWithDecorator: true }],
      // Spreading a string splits it by code point, which is what masking and check digits want.
      '@typescript-eslint/no-misused-spread': 'off',
      // `_name` marks a binding kept for its position (a tuple or an interface's parameter list).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // CLI commands load their module on demand so that `hub --help` and simple commands start fast.
    // Tracing loads OpenTelemetry only when it is switched on.
    files: ['src/cli/commands/*.ts', 'src/shared/tracing.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // jest.isolateModules loads modules in an order the test chooses, which only require() can do.
    files: ['src/kit/schema.test.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The demo city emits each enum's string values; a seed's cast names the column's enum.
    files: ['src/subgraphs/*/seed.ts', 'test/seed.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-enum-assignment': 'off' },
  },
  {
    // MikroORM's FilterQuery and QueryOrderMap of a type parameter have no members until instantiated.
    files: ['src/kit/loaders.ts', 'src/kit/existing.ts'],
    rules: { '@typescript-eslint/no-generated-empty-object-type': 'off' },
  },
  {
    // Tests read GraphQL responses as the untyped JSON they are and assert on their shape.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Helpers that read a list query's JSON take the node type the test expects.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // Plain JavaScript files (config, one bench script) are outside the TypeScript project.
    files: ['**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
