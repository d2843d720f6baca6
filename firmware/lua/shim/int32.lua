-- JavaScript's 32-bit bitwise operators for code compiled by typescript-to-lua.
-- Lua 5.3 integers are 64-bit and its `>>` is logical, so `a | b`, `a << n` and `a >> n`
-- differ from JavaScript once bit 31 is involved. The build's int32 plugin rewrites every
-- bitwise operator into a call to one of these, which apply ToInt32/ToUint32 as ECMA-262
-- (7.1.6, 7.1.7) does. Written to hold on fengari too, whose integers are 32-bit.

local wide = math.maxinteger > 2147483647
local TWO32 = 4294967296.0

local function truncate(value)
  return value >= 0 and math.floor(value) or math.ceil(value)
end

-- ToInt32, always returning a Lua integer in [-2^31, 2^31).
local function toInt32(value)
  if math.type(value) == "integer" then
    if not wide then return value end -- fengari: integers already wrap at 32 bits
    value = value & 0xFFFFFFFF
    if value >= 0x80000000 then value = value - 0x100000000 end
    return value
  end
  if value ~= value or value == math.huge or value == -math.huge then return 0 end
  -- Float arithmetic is exact here: |value| < 2^53 and 2^32 is a power of two.
  local unsigned = truncate(value) % TWO32
  if unsigned >= 2147483648 then unsigned = unsigned - TWO32 end
  return math.tointeger(unsigned)
end

-- ToUint32 as a number in [0, 2^32): an integer when it fits, else a float (fengari).
local function toUint32(value)
  local signed = toInt32(value)
  if signed >= 0 then return signed end
  local unsigned = signed + TWO32
  return math.tointeger(unsigned) or unsigned
end

local function shiftCount(count)
  return toInt32(count) & 31
end

function __js_band(a, b) return toInt32(toInt32(a) & toInt32(b)) end
function __js_bor(a, b) return toInt32(toInt32(a) | toInt32(b)) end
function __js_bxor(a, b) return toInt32(toInt32(a) ~ toInt32(b)) end
function __js_bnot(a) return toInt32(~toInt32(a)) end
function __js_shl(a, n) return toInt32(toInt32(a) << shiftCount(n)) end

-- Arithmetic shift: division by a power of two, floored, keeps the sign as `>>` does.
function __js_sar(a, n)
  return math.tointeger(math.floor(toInt32(a) / (2 ^ shiftCount(n))))
end

-- Logical shift of the 32-bit pattern (`>>>`).
function __js_shr(a, n)
  local count = shiftCount(n)
  if count == 0 then return toUint32(a) end
  if wide then return (toInt32(a) & 0xFFFFFFFF) >> count end
  return toInt32(a) >> count -- fengari: `>>` is logical on its 32-bit integers
end
