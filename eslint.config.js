import js from '@eslint/js';
import jsdoc from 'eslint-plugin-jsdoc';
import tseslint from 'typescript-eslint';

/**
 * jsdoc/require-jsdoc on exported names; with `methods`, public class methods too (the class's comment covers its
 * constructor).
 */
function requireDocs({ methods }) {
  return [
    'error',
    {
      publicOnly: true,
      require: { FunctionDeclaration: true, ClassDeclaration: true, MethodDefinition: methods },
      checkConstructors: false,
      contexts: ['TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSEnumDeclaration', 'ExportNamedDeclaration > VariableDeclaration'],
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The product's exported names are its documentation: every exported function, class, interface, type and
    // constant says what it takes, returns and throws (docs comments, not a separate reference).
    files: [
      'src/config/**/*.ts',
      'src/log/**/*.ts',
      'src/plan/**/*.ts',
      'src/dialpad/**/*.ts',
      'src/collections/**/*.ts',
      'src/timing/**/*.ts',
      'src/memory/**/*.ts',
    ],
    plugins: { jsdoc },
    rules: { 'jsdoc/require-jsdoc': requireDocs({ methods: false }) },
  },
  {
    // The same, and public class methods too, in the folders whose methods are all documented (others join as
    // theirs are).
    files: [
      'src/config/**/*.ts',
      'src/log/**/*.ts',
      'src/plan/safety/**/*.ts',
      'src/apply/**/*.ts',
      'src/store/**/*.ts',
      'src/okta/**/*.ts',
      'src/errors/**/*.ts',
    ],
    plugins: { jsdoc },
    rules: { 'jsdoc/require-jsdoc': requireDocs({ methods: true }) },
  },
);
