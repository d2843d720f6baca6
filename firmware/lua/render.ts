// Builds vector arguments in JavaScript and renders results in the exact text the Lua
// runner (shim/vector-runner.lua) prints, so the two builds compare line by line.

import { createHash } from 'node:crypto';
import * as protocol from '@urgence/protocol';
import { CborMap, CborTag } from '@urgence/protocol';
import { protocolModule, type VectorArg } from './vectors';

const nodeSha256 = (message: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(message).digest());

export function buildArg(arg: VectorArg): unknown {
  if (typeof arg !== 'object') return arg;
  if ('hex' in arg) return new Uint8Array(Buffer.from(arg.hex, 'hex'));
  if ('sha256' in arg) return nodeSha256;
  if ('map' in arg) {
    const map = new CborMap();
    for (const pair of arg.map)
      map.set(buildArg(pair[0]) as never, buildArg(pair[1]) as never);
    return map;
  }
  if ('tag' in arg) return new CborTag(arg.tag, buildArg(arg.value) as never);
  if ('array' in arg) return arg.array.map(buildArg);
  if ('keyFor' in arg) {
    const key = new Uint8Array(Buffer.from(arg.keyFor, 'hex'));
    return () => key;
  }
  if ('call' in arg) {
    const result = exportNamed(arg.call)(...arg.args.map(buildArg));
    return arg.pick === undefined
      ? result
      : (result as Record<string, unknown>)[arg.pick];
  }
  return Object.fromEntries(
    Object.entries(arg.object).map(([name, value]) => [name, buildArg(value)]),
  );
}

const modules = new Map<string, Record<string, unknown>>([
  [protocolModule, protocol as unknown as Record<string, unknown>],
]);

/** Loads the modules the vectors name (besides protocol/), once, before the calls. */
export async function loadModules(names: (string | undefined)[]): Promise<void> {
  for (const name of names) {
    if (name === undefined || modules.has(name)) continue;
    const url = new URL(`../../${name}.ts`, import.meta.url);
    modules.set(name, (await import(url.href)) as Record<string, unknown>);
  }
}

export function exportNamed(
  name: string,
  module = protocolModule,
): (...args: unknown[]) => unknown {
  const fn = modules.get(module)?.[name];
  if (typeof fn !== 'function') throw new Error(`${module} exports no ${name}`);
  return fn as (...args: unknown[]) => unknown;
}

export function render(value: unknown): string {
  if (value === undefined || value === null) return 'undefined'; // both are nil in Lua
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return 's:' + value;
  if (typeof value === 'function') return 'function';
  if (value instanceof Uint8Array) return 'h:' + Buffer.from(value).toString('hex');
  if (Array.isArray(value) && value.length > 0)
    return '[' + value.map(render).join(',') + ']';
  const fields = Object.keys(value)
    .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
    .sort()
    .map((name) => name + '=' + render((value as Record<string, unknown>)[name]));
  return '{' + fields.join(',') + '}';
}

/** A JSON-like value as a Lua table constructor (ASCII strings only). */
export function luaLiteral(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return '{' + value.map(luaLiteral).join(', ') + '}';
  const fields = Object.entries(value as Record<string, unknown>).map(
    ([name, field]) => `[${JSON.stringify(name)}] = ${luaLiteral(field)}`,
  );
  return '{' + fields.join(', ') + '}';
}
