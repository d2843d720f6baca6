-- Runs the shared vectors against protocol/ compiled to Lua and prints one line per vector,
-- `name<TAB>rendering`, in the same rendering as firmware/lua/render.ts.
-- Usage: lua5.3 vector-runner.lua <dist/lua dir> <shim dir> <vectors.lua>

local distDir, shimDir, vectorsFile = arg[1], arg[2], arg[3]
package.path = distDir .. "?.lua;" .. shimDir .. "?.lua;" .. package.path
require("int32")
require("uint8array")
require("sha256")
local protocol = require("protocol.src.index")

local function new(class, ...)
  local instance = setmetatable({}, class.prototype)
  instance:____constructor(...)
  return instance
end

local function build(arg)
  if type(arg) ~= "table" then return arg end
  if arg.hex ~= nil then
    local bytes = {}
    for i = 1, #arg.hex, 2 do bytes[#bytes + 1] = tonumber(arg.hex:sub(i, i + 1), 16) end
    return new(Uint8Array, bytes)
  end
  if arg.sha256 ~= nil then return sha256 end
  if arg.map ~= nil then
    local map = new(protocol.CborMap)
    for _, pair in ipairs(arg.map) do map:set(build(pair[1]), build(pair[2])) end
    return map
  end
  if arg.tag ~= nil then return new(protocol.CborTag, arg.tag, build(arg.value)) end
  if arg.keyFor ~= nil then
    local key = build({ hex = arg.keyFor })
    return function() return key end
  end
  if arg.call ~= nil then
    local args = {}
    for i, item in ipairs(arg.args) do args[i] = build(item) end
    local result = protocol[arg.call](table.unpack(args, 1, #arg.args))
    if arg.pick ~= nil then return result[arg.pick] end
    return result
  end
  if arg.array ~= nil then
    local items = {}
    for i, item in ipairs(arg.array) do items[i] = build(item) end
    return items
  end
  local object = {}
  for key, value in pairs(arg.object) do object[key] = build(value) end
  return object
end

local function render(value)
  local kind = type(value)
  if kind == "nil" then return "undefined" end
  if kind == "boolean" then return tostring(value) end
  if kind == "number" then
    if value == math.floor(value) then return string.format("%d", value) end
    return string.format("%.17g", value)
  end
  if kind == "string" then return "s:" .. value end
  if kind == "function" then return "function" end
  if rawget(value, "_bytes") ~= nil then
    local hex = {}
    for i = 0, value.length - 1 do hex[#hex + 1] = string.format("%02x", value[i]) end
    return "h:" .. table.concat(hex)
  end
  if value[1] ~= nil then
    local items = {}
    for i = 1, #value do items[i] = render(value[i]) end
    return "[" .. table.concat(items, ",") .. "]"
  end
  local keys = {}
  for key in pairs(value) do keys[#keys + 1] = tostring(key) end
  table.sort(keys)
  local fields = {}
  for _, key in ipairs(keys) do fields[#fields + 1] = key .. "=" .. render(value[key]) end
  return "{" .. table.concat(fields, ",") .. "}"
end

-- Other modules (the logic) by repository path, e.g. firmware/src/logic/config.
local function moduleOf(path)
  if path == nil then return protocol end
  return require((path:gsub("/", ".")))
end

for _, vector in ipairs(dofile(vectorsFile)) do
  -- Building an argument may call the code under test too: a failure is this vector's.
  local ok, result = pcall(function()
    local args = {}
    for i, arg in ipairs(vector.args) do args[i] = build(arg) end
    local fn = moduleOf(vector.module)[vector.fn]
    return fn(table.unpack(args, 1, #vector.args))
  end)
  print(vector.name .. "\t" .. (ok and render(result) or ("error:" .. tostring(result))))
end
