// The Espruino compatibility check on emitted JavaScript: rejects the syntax and globals the
// interpreter lacks (DESIGN.md, measured on 2v29) and any use of a binding before its
// declaration has run. Runs in the build and in the firmware tests, on bundles and protocol/.

import * as acorn from 'acorn';
import { childrenOf, position, type AstNode } from './ast';
import { analyseScopes } from './scope';
import { checkDeclarationOrder } from './order';
import { findLoopCaptures } from './loops';

export interface Problem {
  line: number;
  column: number;
  /** Short name of the rejected construct, e.g. `spread` or `use before declaration`. */
  construct: string;
  message: string;
}

interface SyntaxRule {
  construct: string;
  matches(node: AstNode): boolean;
}

const rule = (construct: string, matches: (node: AstNode) => boolean): SyntaxRule => ({
  construct,
  matches,
});
const isFunction = (node: AstNode): boolean => /Function/.test(node.type);
const isMember = (node: AstNode, object: string, property: string): boolean =>
  node.type === 'MemberExpression' &&
  (node.object as AstNode).type === 'Identifier' &&
  (node.object as AstNode).name === object &&
  node.computed === false &&
  (node.property as AstNode).name === property;

const syntaxRules: SyntaxRule[] = [
  rule('destructuring', (n) => n.type === 'ObjectPattern' || n.type === 'ArrayPattern'),
  rule('default parameter', (n) => n.type === 'AssignmentPattern'),
  rule('rest parameter', (n) => n.type === 'RestElement'),
  rule('spread', (n) => n.type === 'SpreadElement'),
  rule(
    'computed key',
    (n) =>
      /^(Property|MethodDefinition|PropertyDefinition)$/.test(n.type) &&
      n.computed === true,
  ),
  rule('generator', (n) => isFunction(n) && n.generator === true),
  rule('yield', (n) => n.type === 'YieldExpression'),
  rule('async function', (n) => isFunction(n) && n.async === true),
  rule('await', (n) => n.type === 'AwaitExpression'),
  rule('label', (n) => n.type === 'LabeledStatement'),
  rule('#private', (n) => n.type === 'PrivateIdentifier'),
  rule('optional chaining', (n) => n.type === 'ChainExpression'),
  rule('BigInt', (n) => n.type === 'Literal' && typeof n.bigint === 'string'),
  rule(
    'Error subclass',
    (n) =>
      /^Class(Declaration|Expression)$/.test(n.type) &&
      n.superClass !== null &&
      (n.superClass as AstNode).type === 'Identifier' &&
      /Error$/.test((n.superClass as AstNode).name as string),
  ),
  rule('Math.imul', (n) => isMember(n, 'Math', 'imul')),
  rule('Array.from', (n) => isMember(n, 'Array', 'from')),
  rule('Number.isInteger', (n) => isMember(n, 'Number', 'isInteger')),
];

/** Globals the interpreter does not have; a local binding of the same name is fine. */
export const missingGlobals = [
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'Symbol',
  'Proxy',
  'Reflect',
  'BigInt',
];

export function checkEspruino(code: string): Problem[] {
  let program: AstNode;
  try {
    program = acorn.parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      locations: true,
    }) as unknown as AstNode;
  } catch (error) {
    const at = (error as { loc?: { line: number; column: number } }).loc;
    return [
      {
        line: at?.line ?? 0,
        column: (at?.column ?? -1) + 1,
        construct: 'syntax error',
        message: (error as Error).message,
      },
    ];
  }

  const problems: Problem[] = [];
  const add = (node: AstNode, construct: string, message: string): void => {
    problems.push({ ...position(node), construct, message });
  };

  const visit = (node: AstNode): void => {
    for (const syntax of syntaxRules) {
      if (syntax.matches(node)) add(node, syntax.construct, 'Espruino cannot run this');
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(program);

  const scopes = analyseScopes(program);
  for (const [id, binding] of scopes.references) {
    if (binding === undefined && missingGlobals.includes(id.name as string)) {
      add(id, id.name as string, `${id.name as string} does not exist on Espruino`);
    }
  }
  for (const capture of findLoopCaptures(program, scopes)) {
    add(
      capture.node,
      'closure over a for-let',
      `\`${capture.name}\` is captured by a function created in the loop; Espruino shares ` +
        'one binding across all passes, so every closure sees the last value',
    );
  }
  for (const problem of checkDeclarationOrder(program, scopes)) {
    add(problem.node, 'use before declaration', problem.message);
  }

  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function formatProblem(problem: Problem): string {
  return `${problem.line}:${problem.column} ${problem.construct}: ${problem.message}`;
}
