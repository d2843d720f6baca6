// Rewrites `function f(a){…}` declarations of an emitted bundle as `var f=a=>{…}`, then
// lets esbuild minify again (expression bodies, merged `var`s). Espruino hoists nothing
// (DESIGN.md), so a function declaration already behaves like a variable assigned where
// it stands; only `this`, `arguments`, `new` and `.prototype` tell the two apart, and a
// function that uses any of them is left alone. Saves ~9 bytes per function.

import * as acorn from 'acorn';
import * as esbuild from 'esbuild';
import { childrenOf, isFunctionNode, type AstNode } from './ast';

/** Names that must stay real functions: constructed with `new` or given a prototype. */
function constructedNames(program: AstNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: AstNode): void => {
    const callee = node.callee as AstNode | undefined;
    if (node.type === 'NewExpression' && callee?.type === 'Identifier') {
      names.add(callee.name as string);
    }
    const object = node.object as AstNode | undefined;
    const property = node.property as AstNode | undefined;
    if (
      node.type === 'MemberExpression' &&
      object?.type === 'Identifier' &&
      property?.type === 'Identifier' &&
      property.name === 'prototype'
    ) {
      names.add(object.name as string);
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(program);
  return names;
}

/** True when the function's own body (not nested non-arrow functions) needs `function`. */
function needsOwnThis(fn: AstNode): boolean {
  let needs = false;
  const visit = (node: AstNode): void => {
    if (needs) return;
    if (node !== fn && isFunctionNode(node) && node.type !== 'ArrowFunctionExpression') {
      return;
    }
    if (
      node.type === 'ThisExpression' ||
      node.type === 'Super' ||
      node.type === 'MetaProperty' ||
      (node.type === 'Identifier' && node.name === 'arguments')
    ) {
      needs = true;
      return;
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(fn);
  return needs;
}

/** Source edits, applied from the end so earlier offsets stay valid. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

export async function functionsToArrows(code: string): Promise<string> {
  const program = acorn.parse(code, {
    ecmaVersion: 2022,
    sourceType: 'script',
  }) as unknown as AstNode;
  const constructed = constructedNames(program);
  const edits: Edit[] = [];
  const visit = (node: AstNode): void => {
    if (
      node.type === 'FunctionDeclaration' &&
      node.generator !== true &&
      node.async !== true &&
      constructed.has((node.id as AstNode).name as string) === false &&
      needsOwnThis(node) === false
    ) {
      const id = node.id as AstNode;
      const params = node.params as AstNode[];
      const body = node.body as AstNode;
      const paramText =
        params.length === 0 ? '' : code.slice(params[0]!.start, params.at(-1)!.end);
      // Edit the head only: nested declarations in the body get their own edits.
      edits.push({
        start: node.start,
        end: body.start,
        text: `var ${id.name as string}=(${paramText})=>`,
      });
      edits.push({ start: body.end, end: body.end, text: ';' });
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(program);
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = code;
  for (const edit of edits)
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  const minified = await esbuild.transform(out, {
    minify: true,
    target: 'es2015',
    charset: 'ascii',
    legalComments: 'none',
  });
  return undefinedAsParameter(minified.code.trimEnd());
}

/**
 * `void 0` (esbuild's `undefined`) becomes a parameter of the bundle's IIFE that is never
 * passed: 2 bytes instead of 6 at each use. The name is one the bundle uses nowhere, so
 * no inner binding can shadow it. Only for the `(()=>{…})();` shape of a device bundle.
 */
export function undefinedAsParameter(code: string): string {
  const head = '(()=>{';
  if (!code.startsWith(head) || !code.endsWith('})();')) return code;
  const program = acorn.parse(code, { ecmaVersion: 2022, sourceType: 'script' });
  const used = new Set<string>();
  const voids: AstNode[] = [];
  const visit = (node: AstNode): void => {
    if (node.type === 'Identifier') used.add(node.name as string);
    const argument = node.argument as AstNode | undefined;
    if (
      node.type === 'UnaryExpression' &&
      node.operator === 'void' &&
      argument?.type === 'Literal' &&
      argument.value === 0
    ) {
      voids.push(node);
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(program as unknown as AstNode);
  const name = ['_', '$', '_$', '$_', '__', '$$'].find(
    (each) => used.has(each) === false,
  );
  if (name === undefined || voids.length === 0) return code;
  let out = code;
  for (const node of voids.sort((a, b) => b.start - a.start)) {
    // `return void 0` needs no space once it is `return _`; keep one where words touch.
    const before = out[node.start - 1] ?? '';
    const spaced = /[\w$]/.test(before) ? ' ' + name : name;
    out = out.slice(0, node.start) + spaced + out.slice(node.end);
  }
  return '(' + name + '=>{' + out.slice(head.length);
}
