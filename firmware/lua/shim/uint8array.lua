-- A Uint8Array for code compiled by typescript-to-lua (DESIGN.md, Lua notes): Lua has no
-- typed arrays, and tstl leaves `b[i]` and `b.length` as they are (0-based), so this class
-- stores bytes 0-based behind __index/__newindex. It covers what protocol/ and the logic
-- use: construction from a length, an array or another Uint8Array, subarray (a view on the
-- same bytes, as in JavaScript), set, slice, fill and indexOf.

Uint8Array = { name = "Uint8Array", prototype = {} }
local proto = Uint8Array.prototype
proto.constructor = Uint8Array
local methods = {}

-- ToUint8 (ECMA-262 7.1.11): modulo 256, NaN and infinities to 0.
local function toByte(value)
  if type(value) ~= "number" or value ~= value or value == math.huge or value == -math.huge then
    return 0
  end
  local whole = value >= 0 and math.floor(value) or math.ceil(value)
  return math.tointeger(whole % 256)
end

local function indexOf(key)
  if type(key) ~= "number" then return nil end
  return math.tointeger(key)
end

proto.__index = function(self, key)
  local index = indexOf(key)
  if index ~= nil then
    if index >= 0 and index < rawget(self, "length") then
      return rawget(self, "_bytes")[rawget(self, "_offset") + index]
    end
    return nil
  end
  return methods[key] or proto[key]
end

proto.__newindex = function(self, key, value)
  local index = indexOf(key)
  if index ~= nil then
    -- Out-of-range writes are ignored, as on a JavaScript typed array.
    if index >= 0 and index < rawget(self, "length") then
      rawget(self, "_bytes")[rawget(self, "_offset") + index] = toByte(value)
    end
    return
  end
  rawset(self, key, value)
end

local function view(bytes, offset, length)
  local array = setmetatable({}, proto)
  rawset(array, "_bytes", bytes)
  rawset(array, "_offset", offset)
  rawset(array, "length", length)
  return array
end

-- tstl's __TS__New is local to its lualib bundle: construct the same way it does.
local function construct(init)
  local array = setmetatable({}, proto)
  array:____constructor(init)
  return array
end

local function isUint8Array(value)
  return type(value) == "table" and rawget(value, "_bytes") ~= nil
end

-- Length and element reader of a Uint8Array or a tstl array (1-based Lua sequence).
local function source(values)
  if isUint8Array(values) then
    return values.length, function(i) return values[i] end
  end
  return #values, function(i) return values[i + 1] end
end

function proto:____constructor(init)
  local bytes = {}
  local length = 0
  if type(init) == "number" then
    length = math.tointeger(init) or error("Invalid typed array length: " .. tostring(init))
    for i = 0, length - 1 do bytes[i] = 0 end
  elseif type(init) == "table" then
    local count, get = source(init)
    length = count
    for i = 0, count - 1 do bytes[i] = toByte(get(i)) end
  end
  rawset(self, "_bytes", bytes)
  rawset(self, "_offset", 0)
  rawset(self, "length", length)
end

-- Relative index as JavaScript resolves begin/end arguments (negative counts from the end).
local function resolve(index, length, default)
  if index == nil then return default end
  index = math.tointeger(index >= 0 and math.floor(index) or math.ceil(index))
  if index < 0 then index = math.max(length + index, 0) end
  return math.min(index, length)
end

function methods:subarray(first, last)
  local length = self.length
  local from = resolve(first, length, 0)
  local to = math.max(resolve(last, length, length), from)
  return view(rawget(self, "_bytes"), rawget(self, "_offset") + from, to - from)
end

function methods:slice(first, last)
  return construct(self:subarray(first, last))
end

function methods:set(values, offset)
  offset = offset or 0
  local count, get = source(values)
  if offset < 0 or offset + count > self.length then
    error("RangeError: offset is out of bounds")
  end
  -- Copy first: source and target may be views on the same bytes.
  local copy = {}
  for i = 0, count - 1 do copy[i] = get(i) end
  for i = 0, count - 1 do self[offset + i] = copy[i] end
end

function methods:fill(value, first, last)
  local length = self.length
  for i = resolve(first, length, 0), resolve(last, length, length) - 1 do self[i] = value end
  return self
end

function methods:indexOf(value, from)
  for i = resolve(from, self.length, 0), self.length - 1 do
    if self[i] == value then return i end
  end
  return -1
end
