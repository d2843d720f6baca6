// The Lua build: protocol/src and firmware/src/logic compiled by typescript-to-lua 1.37.1
// (Lua 5.3, noImplicitSelf; tsconfig.lua.json) with the int32 plugin, into firmware/dist/lua.
// Run it with `npm run build:lua -w @urgence/firmware`; the Lua tests call it too.

import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as tstl from 'typescript-to-lua';
import { int32Plugin } from './int32-plugin';

export const luaConfig = fileURLToPath(new URL('tsconfig.lua.json', import.meta.url));
export const luaOutDir = fileURLToPath(new URL('../dist/lua/', import.meta.url));
export const luaShimDir = fileURLToPath(new URL('shim/', import.meta.url));

export interface LuaBuild {
  /** Source files compiled. */
  files: string[];
  /** typescript-to-lua's own errors (unsupported constructs); type errors are tsc's job. */
  problems: string[];
}

export function compileLua(): LuaBuild {
  const parsed = tstl.parseConfigFileWithSystem(luaConfig);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
  });
  const result = new tstl.Transpiler().emit({ program, plugins: [int32Plugin] });
  const problems = result.diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
    const at = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${at.line + 1}:${at.character + 1}: ${text}`;
  });
  return { files: parsed.fileNames, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const build = compileLua();
  for (const problem of build.problems) console.error('error: ' + problem);
  console.log(`lua: ${build.files.length} files -> ${luaOutDir}`);
  process.exit(build.problems.length === 0 ? 0 : 1);
}
