// The device's own JavaScript realm: a vm context stripped of the built-ins Espruino lacks,
// constructors taken from it before stripping (so values handed to the bundle belong to
// its realm), and a Date driven by the simulator's clock.

import vm from 'node:vm';
import type { Realm } from './modules';

/** Built-ins Espruino does not have (DESIGN.md): removed from the device's realm. */
export const absentBuiltins = [
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'Symbol',
  'Proxy',
  'Reflect',
  'BigInt',
  'FinalizationRegistry',
  'Math.imul',
  'Array.from',
  'Number.isInteger',
];

// Date driven by the fake clock, defined inside the device's realm.
export const dateScript = `(function (now) {
  var RealDate = Date;
  function SimDate(a, b, c, d, e, f, g) {
    var n = arguments.length;
    var date = n === 0 ? new RealDate(now()) : n === 1 ? new RealDate(a)
      : new RealDate(a, b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, g || 0);
    Object.setPrototypeOf(date, SimDate.prototype);
    return date;
  }
  SimDate.prototype = Object.create(RealDate.prototype);
  SimDate.prototype.constructor = SimDate;
  SimDate.now = function () { return now(); };
  SimDate.UTC = RealDate.UTC;
  SimDate.parse = RealDate.parse;
  globalThis.Date = SimDate;
})`;

export function takeRealm(context: vm.Context): Realm {
  const make = vm.runInContext(
    `(function () {
      var AB = ArrayBuffer, U8 = Uint8Array, parse = JSON.parse, stringify = JSON.stringify;
      return {
        arrayBuffer: function (bytes) { var b = new AB(bytes.length); new U8(b).set(bytes); return b; },
        uint8Array: function (bytes) { var u = new U8(bytes.length); for (var i = 0; i < bytes.length; i++) u[i] = bytes[i]; return u; },
        array: function (items) { var a = []; for (var i = 0; i < items.length; i++) a.push(items[i]); return a; },
        object: function (value) { return parse(stringify(value)); }
      };
    })`,
    context,
  ) as () => Realm;
  const realm = make();
  vm.runInContext(
    absentBuiltins.map((name) => `delete globalThis.${name};`).join('\n'),
    context,
  );
  return realm;
}
