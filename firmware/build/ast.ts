// A loose view of acorn's ESTree nodes and a generic child iterator, shared by the
// Espruino compatibility check's passes (scopes, declaration order, syntax rules).

export interface AstNode {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } };
  [field: string]: unknown;
}

export function isNode(value: unknown): value is AstNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/** Children of a node in source order, with the field each one sits in. */
export function childrenOf(node: AstNode): { key: string; child: AstNode }[] {
  const children: { key: string; child: AstNode }[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'range') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push({ key, child: item });
    } else if (isNode(value)) {
      children.push({ key, child: value });
    }
  }
  children.sort((a, b) => a.child.start - b.child.start);
  return children;
}

export function isFunctionNode(node: AstNode): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

export function isClassNode(node: AstNode): boolean {
  return node.type === 'ClassDeclaration' || node.type === 'ClassExpression';
}

export function position(node: AstNode): { line: number; column: number } {
  const start = node.loc?.start;
  // acorn columns are 0-based; editors and the messages here count from 1.
  return start === undefined
    ? { line: 0, column: 0 }
    : { line: start.line, column: start.column + 1 };
}

/** Identifiers a binding pattern declares (plain names, and those inside patterns). */
export function patternNames(pattern: AstNode): AstNode[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern];
    case 'AssignmentPattern':
      return patternNames(pattern.left as AstNode);
    case 'RestElement':
      return patternNames(pattern.argument as AstNode);
    case 'ArrayPattern':
      return (pattern.elements as (AstNode | null)[]).flatMap((element) =>
        element === null ? [] : patternNames(element),
      );
    case 'ObjectPattern':
      return (pattern.properties as AstNode[]).flatMap((property) =>
        patternNames(
          (property.type === 'Property' ? property.value : property) as AstNode,
        ),
      );
    default:
      return [];
  }
}
