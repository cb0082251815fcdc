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
    // constant, and every public class method, says what it takes, returns and throws.
    files: ['src/**/*.ts'],
    plugins: { jsdoc },
    rules: { 'jsdoc/require-jsdoc': requireDocs({ methods: true }) },
  },
);
