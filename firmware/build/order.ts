// Declaration order as Espruino sees it: the interpreter hoists nothing, so a binding
// exists only once the statement declaring it has run. For every function body (and the
// top level) this walks what runs at statement time, in order, and follows calls to
// functions and classes known statically, transitively; bodies of functions that are only
// stored for later (callbacks, methods) are checked when a call to them is seen.

import {
  childrenOf,
  isClassNode,
  isFunctionNode,
  patternNames,
  position,
  type AstNode,
} from './ast';
import { memberResolver } from './members';
import type { Binding, ScopeInfo } from './scope';

export interface OrderProblem {
  node: AstNode;
  message: string;
}

interface Visitor {
  /** The class `this` refers to in the code being walked, if known. */
  thisClass?: AstNode;
  ref(id: AstNode, binding: Binding): void;
  declared(binding: Binding): void;
  run(target: AstNode, site: AstNode): void;
}

// Array methods that call their function argument before returning.
const synchronousCallbacks = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'sort',
]);

function where(node: AstNode): string {
  const at = position(node);
  return `${at.line}:${at.column}`;
}

export function checkDeclarationOrder(program: AstNode, info: ScopeInfo): OrderProblem[] {
  const members = memberResolver(program, info);

  function knownValue(node: AstNode, visitor?: Visitor): AstNode | undefined {
    if (isFunctionNode(node) || isClassNode(node)) return node;
    if (node.type === 'MemberExpression')
      return members.resolve(node, visitor?.thisClass);
    if (node.type !== 'Identifier') return undefined;
    return info.references.get(node)?.value;
  }

  function walkCall(node: AstNode, visitor: Visitor): void {
    const callee = node.callee as AstNode;
    const args = node.arguments as AstNode[];
    walk(callee, visitor);
    for (const arg of args) walk(arg, visitor);

    const target = knownValue(callee, visitor);
    if (target !== undefined) visitor.run(target, node);
    if (callee.type !== 'MemberExpression' || callee.computed === true) return;
    const method = (callee.property as AstNode).name as string;
    const receiver = knownValue(callee.object as AstNode);
    if ((method === 'call' || method === 'apply') && receiver !== undefined) {
      visitor.run(receiver, node);
    }
    if (synchronousCallbacks.has(method)) {
      for (const arg of args) {
        const callback = knownValue(arg);
        if (callback !== undefined) visitor.run(callback, node);
      }
    }
  }

  function walkClass(node: AstNode, visitor: Visitor): void {
    if (node.superClass !== null) walk(node.superClass as AstNode, visitor);
    for (const member of (node.body as AstNode).body as AstNode[]) {
      if (member.computed === true) walk(member.key as AstNode, visitor);
      if (member.type === 'StaticBlock') visitor.run(member, member);
      if (
        member.type === 'PropertyDefinition' &&
        member.static === true &&
        member.value
      ) {
        walk(member.value as AstNode, visitor);
      }
    }
    if (node.type === 'ClassDeclaration') {
      visitor.declared(info.declarations.get(node.id as AstNode)!);
    }
  }

  function walk(node: AstNode, visitor: Visitor): void {
    if (node.type === 'Identifier') {
      const binding = info.references.get(node);
      if (binding !== undefined) visitor.ref(node, binding);
      return;
    }
    if (isFunctionNode(node)) {
      // Only the declaration happens now; the body runs when something calls it.
      if (node.type === 'FunctionDeclaration') {
        visitor.declared(info.declarations.get(node.id as AstNode)!);
      }
      return;
    }
    if (isClassNode(node)) return walkClass(node, visitor);
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      return walkCall(node, visitor);
    }
    if (node.type === 'VariableDeclarator') {
      if (node.init !== null) walk(node.init as AstNode, visitor);
      for (const id of patternNames(node.id as AstNode)) {
        const binding = info.declarations.get(id);
        if (binding !== undefined) visitor.declared(binding);
      }
      return;
    }
    if (node.type === 'ForStatement') {
      // Evaluation order: init, test, body, update (not source order).
      for (const key of ['init', 'test', 'body', 'update']) {
        if (isNodeField(node[key])) walk(node[key] as AstNode, visitor);
      }
      return;
    }
    for (const { child } of childrenOf(node)) walk(child, visitor);
  }

  // What a function (or a class construction) touches outside itself when it runs.
  const runCache = new Map<AstNode, Map<Binding, AstNode>>();
  const running = new Set<AstNode>();

  function runRefs(target: AstNode): Map<Binding, AstNode> {
    const cached = runCache.get(target);
    if (cached !== undefined) return cached;
    const refs = new Map<Binding, AstNode>();
    if (running.has(target)) return refs; // recursion: the outer walk sees the rest
    running.add(target);

    const outside = (binding: Binding): boolean =>
      binding.owner.start < target.start || binding.owner.end > target.end;
    const note = (binding: Binding, id: AstNode): void => {
      if (outside(binding) && !refs.has(binding)) refs.set(binding, id);
    };
    const visitor: Visitor = {
      thisClass: isClassNode(target) ? target : members.classOf(target),
      ref: (id, binding) => note(binding, id),
      declared: () => undefined,
      run: (inner) => {
        for (const [binding, id] of runRefs(inner)) note(binding, id);
      },
    };
    for (const body of bodiesRunBy(target)) walk(body, visitor);

    running.delete(target);
    runCache.set(target, refs);
    return refs;
  }

  function bodiesRunBy(target: AstNode): AstNode[] {
    if (isFunctionNode(target) || target.type === 'StaticBlock') {
      return target.type === 'StaticBlock'
        ? (target.body as AstNode[])
        : [target.body as AstNode];
    }
    // Constructing an instance runs the superclass, field initialisers and constructor.
    const bodies: AstNode[] = [];
    const parent = target.superClass as AstNode | null;
    const parentClass = parent === null ? undefined : knownValue(parent);
    if (parentClass !== undefined && isClassNode(parentClass)) bodies.push(parentClass);
    for (const member of (target.body as AstNode).body as AstNode[]) {
      if (
        member.type === 'PropertyDefinition' &&
        member.static !== true &&
        member.value
      ) {
        bodies.push(member.value as AstNode);
      }
      if (member.type === 'MethodDefinition' && member.kind === 'constructor') {
        bodies.push((member.value as AstNode).body as AstNode);
      }
    }
    return bodies.map((body) => (isClassNode(body) ? constructionOf(body) : body));
  }

  // A superclass's construction, wrapped so `walk` follows it as a call.
  function constructionOf(parentClass: AstNode): AstNode {
    return {
      type: 'NewExpression',
      start: parentClass.start,
      end: parentClass.start,
      callee: parentClass,
      arguments: [],
    } as AstNode;
  }

  const problems: OrderProblem[] = [];
  const seen = new Set<string>();
  function report(node: AstNode, message: string): void {
    const key = node.start + message;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ node, message });
  }

  function checkBody(owner: AstNode, bodies: AstNode[]): void {
    const declared = new Set<Binding>();
    const pending = (binding: Binding): boolean =>
      binding.owner === owner &&
      binding.declaredBy !== undefined &&
      !declared.has(binding);
    const visitor: Visitor = {
      thisClass: members.classOf(owner),
      ref(id, binding) {
        if (pending(binding)) {
          report(
            id,
            `\`${binding.name}\` is used before its declaration at ` +
              `${where(binding.id)} has run (Espruino hoists nothing)`,
          );
        }
      },
      declared: (binding) => declared.add(binding),
      run(target, site) {
        for (const [binding, id] of runRefs(target)) {
          if (pending(binding)) {
            report(
              site,
              `this call runs code that uses \`${binding.name}\` (at ` +
                `${where(id)}) before its declaration at ${where(binding.id)} has run`,
            );
          }
        }
      },
    };
    for (const body of bodies) walk(body, visitor);
  }

  function everyScopeOwner(node: AstNode): void {
    if (isFunctionNode(node)) checkBody(node, [node.body as AstNode]);
    if (node.type === 'StaticBlock') checkBody(node, node.body as AstNode[]);
    for (const { child } of childrenOf(node)) everyScopeOwner(child);
  }
  checkBody(program, program.body as AstNode[]);
  everyScopeOwner(program);
  return problems;
}

function isNodeField(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
