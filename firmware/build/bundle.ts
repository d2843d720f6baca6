// Turns one device's TypeScript entry (with @urgence/protocol and the board file) into the
// single script Espruino runs from `.bootcde`. Settings are chosen for the interpreter
// measured in DESIGN.md, not for Node.

import * as esbuild from 'esbuild';
import { MANGLE_PROPS } from '../src/minify-names';
import { functionsToArrows } from './arrows';
import type { DeviceBuild } from './devices';

export interface Bundle {
  device: DeviceBuild;
  code: string;
  bytes: number;
  /** Source files by the bytes they contribute to the bundle, largest first. */
  contributions: { file: string; bytes: number }[];
}

/**
 * @param minify false only to inspect the output (helper names stay readable).
 * @param exposeAs keep the entry's exports as this global (used to check a library such
 *   as protocol/ alone: without it the bundler drops every export nothing calls).
 */
export async function bundleDevice(
  device: DeviceBuild,
  exposeAs?: string,
  minify = true,
): Promise<Bundle> {
  const result = await esbuild.build({
    entryPoints: [device.entry],
    globalName: exposeAs,
    bundle: true,
    write: false,
    // An IIFE keeps every binding local, so the minifier may shorten all names: Espruino
    // stores names in its variable blocks, and short names save RAM as well as flash.
    // A device bundle is CommonJS in a hand-written IIFE: esbuild's own IIFE format would
    // route require("Storage") through a shim that needs Proxy, which Espruino lacks.
    format: exposeAs === undefined ? 'cjs' : 'iife',
    banner: exposeAs === undefined ? { js: '(()=>{' } : undefined,
    footer: exposeAs === undefined ? { js: '})();' } : undefined,
    // ES2015 is what the interpreter runs; esbuild lowers `??`, `?.` and `**` below it.
    target: 'es2015',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    minify,
    legalComments: 'none',
    // Non-ASCII source text is escaped (esbuild's default); Espruino's lexer is byte-based.
    charset: 'ascii',
    logLevel: 'silent',
    metafile: true,
    // Espruino's built-in modules: board files call require("Storage") as Espruino code
    // does, and the bundle keeps the call for the interpreter to resolve.
    external: ['Storage', 'crypto'],
    // Property names only our own objects carry (src/minify-names.ts, tested against
    // Espruino's API and the urgence.json / urgence.info() keys): ~1 KB less per bundle.
    mangleProps: minify ? MANGLE_PROPS : undefined,
    tsconfigRaw: {
      compilerOptions: {
        // With define semantics esbuild emits __publicField/__defProp helpers for every
        // class field; assignment semantics gives plain `this.x = v` in the constructor.
        useDefineForClassFields: false,
        verbatimModuleSyntax: true,
      },
    },
  });
  const emitted = result.outputFiles[0]!.text;
  const code = minify ? await functionsToArrows(emitted) : emitted;
  const output = Object.values(result.metafile.outputs)[0]!;
  const contributions = Object.entries(output.inputs)
    .map(([file, input]) => ({ file, bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { device, code, bytes: Buffer.byteLength(code, 'utf8'), contributions };
}

/** One line per bundle: bytes, budget and headroom. */
export function sizeLine(bundle: Bundle): string {
  const budget = bundle.device.budgetBytes;
  const percent = ((100 * bundle.bytes) / budget).toFixed(0);
  return (
    bundle.device.name.padEnd(9) +
    String(bundle.bytes).padStart(7) +
    ' B of ' +
    String(budget) +
    ' B budget (' +
    percent +
    '%)'
  );
}

/** The one line that explains a failed budget, or undefined when the bundle fits. */
export function budgetViolation(bundle: Bundle): string | undefined {
  const over = bundle.bytes - bundle.device.budgetBytes;
  if (over <= 0) return undefined;
  return (
    `${bundle.device.name} bundle is ${bundle.bytes} bytes, ` +
    `over its ${bundle.device.budgetBytes}-byte budget by ${over}`
  );
}

/**
 * esbuild helpers an unminified bundle defines (`var __name = …`), except `__pow`, a mere
 * alias of Math.pow (which Espruino has) for the `**` operator.
 */
export function helpersIn(unminifiedCode: string): string[] {
  const names = [...unminifiedCode.matchAll(/^\s*var (__\w+) =/gm)].map(
    (match) => match[1]!,
  );
  return names.filter((name) => name !== '__pow');
}
