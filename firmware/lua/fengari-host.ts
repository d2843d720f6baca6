// Runs a Lua file under fengari with command-line arguments in `arg`, printing to stdout:
// the fallback interpreter for machines without Debian's lua5.3.
// Usage: node --import tsx fengari-host.ts <file.lua> [args...]

// @ts-expect-error fengari ships no type declarations
import { lauxlib, lua, lualib, to_luastring } from 'fengari';

const [file, ...args] = process.argv.slice(2);
const state = lauxlib.luaL_newstate();
lualib.luaL_openlibs(state);
lua.lua_createtable(state, args.length, 0);
args.forEach((value, index) => {
  lua.lua_pushstring(state, to_luastring(value));
  lua.lua_rawseti(state, -2, index + 1);
});
lua.lua_setglobal(state, to_luastring('arg'));
if (lauxlib.luaL_dofile(state, to_luastring(file!)) !== lua.LUA_OK) {
  console.error(lua.lua_tojsstring(state, -1));
  process.exit(1);
}
