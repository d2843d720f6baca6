// Resolves method calls the declaration-order pass can follow: `obj.m()` where obj was
// made by a known factory returning an object literal (the closures style the logic uses),
// by `new` of a known class, or is an object literal; `this.m()` inside a class; and
// static methods of a known class. Anything else stays unresolved (not followed).

import { childrenOf, isClassNode, isFunctionNode, type AstNode } from './ast';
import type { ScopeInfo } from './scope';

export interface MemberResolver {
  /** The class whose method (or constructor) this function is, if any. */
  classOf(fn: AstNode): AstNode | undefined;
  /** The function a call through `callee` (a MemberExpression) runs, if known. */
  resolve(callee: AstNode, thisClass: AstNode | undefined): AstNode | undefined;
}

export function memberResolver(program: AstNode, info: ScopeInfo): MemberResolver {
  const methodClass = new Map<AstNode, AstNode>();
  const collect = (node: AstNode): void => {
    if (isClassNode(node)) {
      for (const member of (node.body as AstNode).body as AstNode[]) {
        if (member.type === 'MethodDefinition')
          methodClass.set(member.value as AstNode, node);
      }
    }
    for (const { child } of childrenOf(node)) collect(child);
  };
  collect(program);

  const functionValue = (node: AstNode | undefined): AstNode | undefined => {
    if (node === undefined) return undefined;
    if (isFunctionNode(node)) return node;
    if (node.type === 'Identifier') return info.references.get(node)?.value;
    return undefined;
  };

  const methodOf = (
    cls: AstNode,
    name: string,
    isStatic: boolean,
  ): AstNode | undefined => {
    for (const member of (cls.body as AstNode).body as AstNode[]) {
      if (member.type !== 'MethodDefinition' || member.computed === true) continue;
      if ((member.static === true) !== isStatic || member.kind !== 'method') continue;
      if ((member.key as AstNode).name === name) return member.value as AstNode;
    }
    return undefined;
  };

  const propertyOf = (object: AstNode, name: string): AstNode | undefined => {
    for (const property of object.properties as AstNode[]) {
      if (property.type !== 'Property' || property.computed === true) continue;
      const key = property.key as AstNode;
      if (key.name === name || key.value === name)
        return functionValue(property.value as AstNode);
    }
    return undefined;
  };

  // Object literals a factory returns from its own body (not from nested functions).
  const returnedObjects = (factory: AstNode): AstNode[] => {
    const body = factory.body as AstNode;
    if (body.type === 'ObjectExpression') return [body];
    const found: AstNode[] = [];
    const scan = (node: AstNode): void => {
      if (isFunctionNode(node) || isClassNode(node)) return;
      const argument = node.argument as AstNode | null | undefined;
      if (node.type === 'ReturnStatement' && argument?.type === 'ObjectExpression') {
        found.push(argument);
      }
      for (const { child } of childrenOf(node)) scan(child);
    };
    for (const { child } of childrenOf(body)) scan(child);
    return found;
  };

  const valueMethod = (init: AstNode, name: string): AstNode | undefined => {
    if (init.type === 'ObjectExpression') return propertyOf(init, name);
    const made =
      functionValue(init.callee as AstNode) ?? classValue(init.callee as AstNode);
    if (made === undefined) return undefined;
    if (init.type === 'NewExpression' && isClassNode(made))
      return methodOf(made, name, false);
    if (init.type === 'CallExpression' && isFunctionNode(made)) {
      for (const object of returnedObjects(made)) {
        const method = propertyOf(object, name);
        if (method !== undefined) return method;
      }
    }
    return undefined;
  };

  const classValue = (node: AstNode | undefined): AstNode | undefined => {
    if (node === undefined) return undefined;
    if (isClassNode(node)) return node;
    const value =
      node.type === 'Identifier' ? info.references.get(node)?.value : undefined;
    return value !== undefined && isClassNode(value) ? value : undefined;
  };

  return {
    classOf: (fn) => methodClass.get(fn),
    resolve(callee, thisClass) {
      if (callee.type !== 'MemberExpression' || callee.computed === true)
        return undefined;
      const name = (callee.property as AstNode).name as string;
      const object = callee.object as AstNode;
      if (object.type === 'ThisExpression') {
        return thisClass === undefined ? undefined : methodOf(thisClass, name, false);
      }
      if (object.type !== 'Identifier') return undefined;
      const cls = classValue(object);
      if (cls !== undefined) return methodOf(cls, name, true);
      const init = info.references.get(object)?.init;
      return init === undefined ? undefined : valueMethod(init, name);
    },
  };
}
