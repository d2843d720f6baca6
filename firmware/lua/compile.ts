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
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const projectFiles = new Set(parsed.fileNames.map((file) => ts.sys.resolvePath(file)));
  host.readFile = (file) => {
    const text = readFile(file);
    return text !== undefined && projectFiles.has(ts.sys.resolvePath(file))
      ? selfLessInterfaces(text)
      : text;
  };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host,
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

let compiled: LuaBuild | undefined;

/** compileLua() once per process: the Lua tests share one build (it takes seconds). */
export function compileLuaOnce(): LuaBuild {
  compiled ??= compileLua();
  return compiled;
}

/**
 * Marks every interface of the project `@noSelf`. The shared code implements interfaces
 * with plain functions and closures (they minify better on Espruino), while tstl gives
 * interface methods a `self` even under noImplicitSelf; without this a closure stored in
 * an interface would receive `self` as its first argument in Lua. Classes keep `self`.
 * Line numbers are unchanged: the annotation goes on the interface's own line.
 */
export function selfLessInterfaces(source: string): string {
  return source.replace(
    /^(\s*)(export\s+)?interface\s/gm,
    (declaration: string, indent: string) =>
      indent + '/** @noSelf */ ' + declaration.slice(indent.length),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const build = compileLua();
  for (const problem of build.problems) console.error('error: ' + problem);
  console.log(`lua: ${build.files.length} files -> ${luaOutDir}`);
  process.exit(build.problems.length === 0 ? 0 : 1);
}
