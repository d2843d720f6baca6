// Scope analysis for the compatibility check: which declaration each identifier refers to,
// which function owns each binding, and what value (function or class) a binding holds,
// so the declaration-order pass can follow calls.

import {
  childrenOf,
  isClassNode,
  isFunctionNode,
  patternNames,
  type AstNode,
} from './ast';

export interface Binding {
  name: string;
  /** The identifier that declares it. */
  id: AstNode;
  /** The function (or Program) whose body runs the declaration. */
  owner: AstNode;
  /** The node whose completion brings the binding into existence; absent when it exists
   *  from the moment its scope is entered (parameters, catch and loop variables). */
  declaredBy?: AstNode;
  /** Function or class the binding was initialised with, when known statically. */
  value?: AstNode;
  /** The initialiser of a variable (`const x = f()`), to resolve `x.method()` calls. */
  init?: AstNode;
}

interface Scope {
  parent?: Scope;
  owner: AstNode;
  /** Function (or Program) scopes receive `var` declarations. */
  isFunction: boolean;
  bindings: Map<string, Binding>;
}

export interface ScopeInfo {
  /** Every identifier that reads or writes a binding, mapped to it (undefined: global). */
  references: Map<AstNode, Binding | undefined>;
  /** Every declaring identifier, mapped to its binding. */
  declarations: Map<AstNode, Binding>;
}

function functionScopeOf(scope: Scope): Scope {
  let current = scope;
  while (!current.isFunction && current.parent !== undefined) current = current.parent;
  return current;
}

function valueOf(init: unknown): AstNode | undefined {
  const node = init as AstNode | null | undefined;
  if (node === null || node === undefined) return undefined;
  return isFunctionNode(node) || isClassNode(node) ? node : undefined;
}

/** Builds scopes in one pass (declarations), then resolves references in a second. */
export function analyseScopes(program: AstNode): ScopeInfo {
  const scopeOf = new Map<AstNode, Scope>();
  const declarations = new Map<AstNode, Binding>();

  function declare(
    scope: Scope,
    id: AstNode,
    declaredBy?: AstNode,
    value?: AstNode,
    init?: AstNode,
  ): void {
    const name = id.name as string;
    const existing = scope.bindings.get(name);
    if (existing !== undefined) {
      declarations.set(id, existing); // `var` repeated: the first declaration counts
      return;
    }
    const binding: Binding = { name, id, owner: scope.owner, declaredBy, value, init };
    scope.bindings.set(name, binding);
    declarations.set(id, binding);
  }

  const root: Scope = { owner: program, isFunction: true, bindings: new Map() };
  scopeOf.set(program, root);

  function newScope(node: AstNode, parent: Scope, owner: AstNode): Scope {
    const scope: Scope = {
      parent,
      owner,
      isFunction: owner === node,
      bindings: new Map(),
    };
    scopeOf.set(node, scope);
    return scope;
  }

  function collect(node: AstNode, scope: Scope, parent?: AstNode): void {
    let inner = scope;
    if (isFunctionNode(node)) {
      if (node.type === 'FunctionDeclaration' && node.id !== null) {
        declare(scope, node.id as AstNode, node, node);
      }
      inner = newScope(node, scope, node);
      if (node.type === 'FunctionExpression' && node.id !== null) {
        declare(inner, node.id as AstNode, undefined, node);
      }
      for (const param of node.params as AstNode[]) {
        for (const id of patternNames(param)) declare(inner, id);
      }
    } else if (node.type === 'ClassDeclaration') {
      declare(scope, node.id as AstNode, node, node);
    } else if (node.type === 'VariableDeclaration') {
      const target = node.kind === 'var' ? functionScopeOf(scope) : scope;
      const loopHead = parent !== undefined && /^For(In|Of)?Statement$/.test(parent.type);
      for (const declarator of node.declarations as AstNode[]) {
        for (const id of patternNames(declarator.id as AstNode)) {
          declare(
            target,
            id,
            loopHead ? undefined : declarator,
            valueOf(declarator.init),
            (declarator.init as AstNode | null) ?? undefined,
          );
        }
      }
    } else if (node.type === 'CatchClause') {
      inner = newScope(node, scope, scope.owner);
      if (node.param !== null) {
        for (const id of patternNames(node.param as AstNode)) declare(inner, id);
      }
    } else if (
      (node.type === 'BlockStatement' &&
        (parent === undefined || !isFunctionNode(parent))) ||
      /^(For(In|Of)?Statement|SwitchStatement|StaticBlock)$/.test(node.type)
    ) {
      inner = newScope(node, scope, node.type === 'StaticBlock' ? node : scope.owner);
    }
    for (const { child } of childrenOf(node)) collect(child, inner, node);
  }
  collect(program, root);

  const references = new Map<AstNode, Binding | undefined>();

  function resolve(name: string, scope: Scope | undefined): Binding | undefined {
    for (let current = scope; current !== undefined; current = current.parent) {
      const binding = current.bindings.get(name);
      if (binding !== undefined) return binding;
    }
    return undefined;
  }

  function isReference(node: AstNode, parent: AstNode, key: string): boolean {
    switch (parent.type) {
      case 'MemberExpression':
        return key !== 'property' || parent.computed === true;
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
        return key !== 'key' || parent.computed === true;
      case 'VariableDeclarator':
        return key !== 'id';
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return key === 'body';
      case 'ClassDeclaration':
      case 'ClassExpression':
        return key !== 'id';
      case 'CatchClause':
        return key !== 'param';
      case 'LabeledStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
        return false;
      default:
        return node.type === 'Identifier';
    }
  }

  // Binding patterns declare names rather than read them (their defaults are rejected
  // by the syntax rules anyway: Espruino has no default parameters or destructuring).
  function declaresNames(parent: AstNode, key: string): boolean {
    return (
      (parent.type === 'VariableDeclarator' && key === 'id') ||
      (isFunctionNode(parent) && (key === 'params' || key === 'id')) ||
      (parent.type === 'CatchClause' && key === 'param')
    );
  }

  function link(node: AstNode, scope: Scope): void {
    const inner = scopeOf.get(node) ?? scope;
    for (const { key, child } of childrenOf(node)) {
      if (declaresNames(node, key)) continue;
      if (child.type === 'Identifier') {
        if (isReference(child, node, key)) {
          references.set(child, resolve(child.name as string, inner));
        }
        continue;
      }
      link(child, inner);
    }
  }
  link(program, root);

  return { references, declarations };
}
