// Lint for the whole workspace. Code that runs on the devices (protocol/ and firmware/src)
// gets the Espruino subset on top: the interpreter lacks these constructs (DESIGN.md), and
// the Lua build needs explicit boolean tests because only false and nil are false in Lua.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const deviceFiles = ['protocol/src/**/*.ts', 'firmware/src/**/*.ts'];
const testFiles = ['**/*.test.ts', '**/test/**/*.ts'];

const espruinoSyntax = [
  ['ObjectPattern', 'destructuring is not supported by Espruino'],
  ['ArrayPattern', 'destructuring is not supported by Espruino'],
  ['AssignmentPattern', 'default parameters are not supported by Espruino'],
  ['RestElement', 'rest parameters are not supported by Espruino'],
  ['SpreadElement', 'spread is not supported by Espruino'],
  ['Property[computed=true]', 'computed keys are not supported by Espruino'],
  ['MethodDefinition[computed=true]', 'computed keys are not supported by Espruino'],
  ['PropertyDefinition[computed=true]', 'computed keys are not supported by Espruino'],
  ['FunctionDeclaration[generator=true]', 'generators are not supported by Espruino'],
  ['FunctionExpression[generator=true]', 'generators are not supported by Espruino'],
  [':function[async=true]', 'async functions are not supported by Espruino'],
  ['AwaitExpression', 'await is not supported by Espruino'],
  ['LabeledStatement', 'labels are not supported by Espruino'],
  ['PrivateIdentifier', '#private fields are not supported by Espruino'],
  ['ClassDeclaration[superClass.name="Error"]', 'Espruino cannot subclass Error'],
  ['TSEnumDeclaration', 'TypeScript enums compile to computed keys: use const objects'],
  ['ForInStatement', 'for…in order differs in Lua: iterate known keys'],
  [
    'MemberExpression[object.name="Math"][property.name="imul"]',
    'Math.imul is missing on Espruino',
  ],
  [
    'MemberExpression[object.name="Array"][property.name="from"]',
    'Array.from is missing on Espruino',
  ],
  [
    'MemberExpression[object.name="Number"][property.name="isInteger"]',
    'Number.isInteger is missing on Espruino',
  ],
].map(([selector, message]) => ({ selector, message }));

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/fixtures/**', '**/*.lua'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: deviceFiles,
    ignores: testFiles,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-restricted-syntax': ['error', ...espruinoSyntax],
      'no-restricted-globals': [
        'error',
        ...['Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'Proxy', 'Reflect'].map(
          (name) => ({ name, message: `${name} is missing on Espruino` }),
        ),
      ],
      'no-use-before-define': [
        'error',
        { functions: true, classes: true, variables: true },
      ],
      '@typescript-eslint/strict-boolean-expressions': [
        'error',
        { allowString: false, allowNumber: false, allowNullableObject: false },
      ],
    },
  },
);
