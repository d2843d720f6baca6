// Espruino keeps ONE binding for a `let`/`const` declared in a `for (…;…;…)` head, shared
// by all passes (DESIGN.md), where JavaScript makes a fresh one per pass. Code is affected
// only when a function created inside the loop captures that binding: every such closure
// then sees the last value. This finds those captures.

import { childrenOf, isFunctionNode, patternNames, type AstNode } from './ast';
import type { ScopeInfo } from './scope';

export interface LoopCapture {
  node: AstNode;
  name: string;
}

export function findLoopCaptures(program: AstNode, info: ScopeInfo): LoopCapture[] {
  const captures: LoopCapture[] = [];

  const functionsWithin = (node: AstNode, found: AstNode[] = []): AstNode[] => {
    for (const { child } of childrenOf(node)) {
      if (isFunctionNode(child)) found.push(child);
      else functionsWithin(child, found);
    }
    return found;
  };

  const visit = (node: AstNode): void => {
    const init = node.init as AstNode | null | undefined;
    if (
      node.type === 'ForStatement' &&
      init?.type === 'VariableDeclaration' &&
      init.kind !== 'var'
    ) {
      const loopBindings = new Set(
        (init.declarations as AstNode[])
          .flatMap((declarator) => patternNames(declarator.id as AstNode))
          .map((id) => info.declarations.get(id)),
      );
      const closures = functionsWithin(node);
      for (const [id, binding] of info.references) {
        if (binding === undefined || !loopBindings.has(binding)) continue;
        if (closures.some((fn) => id.start >= fn.start && id.end <= fn.end)) {
          captures.push({ node: id, name: binding.name });
        }
      }
    }
    for (const { child } of childrenOf(node)) visit(child);
  };
  visit(program);
  return captures;
}
