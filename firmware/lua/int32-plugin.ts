// typescript-to-lua plugin: compiles JavaScript's bitwise operators to calls of the int32
// helpers in shim/int32.lua. tstl maps them to Lua 5.3's 64-bit operators (and refuses `>>`
// outright), which disagree with JavaScript as soon as bit 31 is set; the helpers apply
// ToInt32/ToUint32 so the Lua build gives the same numbers as Espruino and Node.

import ts from 'typescript';
import * as tstl from 'typescript-to-lua';

const binaryHelpers = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.AmpersandToken, '__js_band'],
  [ts.SyntaxKind.BarToken, '__js_bor'],
  [ts.SyntaxKind.CaretToken, '__js_bxor'],
  [ts.SyntaxKind.LessThanLessThanToken, '__js_shl'],
  [ts.SyntaxKind.GreaterThanGreaterThanToken, '__js_sar'],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken, '__js_shr'],
]);

/** Compound forms (`a |= b`) would need an assignment rewrite; refuse them clearly. */
const compoundOperators = new Set([
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
]);

export const int32Plugin: tstl.Plugin = {
  visitors: {
    [ts.SyntaxKind.BinaryExpression]: (node, context) => {
      const operator = node.operatorToken.kind;
      if (compoundOperators.has(operator)) {
        throw new Error(
          `${node.getSourceFile().fileName}: compound bitwise assignment ` +
            `\`${node.getText()}\` is not supported by the Lua build; write a = a op b`,
        );
      }
      const helper = binaryHelpers.get(operator);
      if (helper === undefined) return context.superTransformExpression(node);
      return tstl.createCallExpression(
        tstl.createIdentifier(helper),
        [context.transformExpression(node.left), context.transformExpression(node.right)],
        node,
      );
    },
    [ts.SyntaxKind.PrefixUnaryExpression]: (node, context) => {
      if (node.operator !== ts.SyntaxKind.TildeToken) {
        return context.superTransformExpression(node);
      }
      return tstl.createCallExpression(
        tstl.createIdentifier('__js_bnot'),
        [context.transformExpression(node.operand)],
        node,
      );
    },
  },
};
