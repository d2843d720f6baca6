-- SHA-256 (FIPS 180-4) in plain Lua 5.3, over the Uint8Array shim: the Sha256 service the
-- tests hand to protocol/ compiled to Lua, as Node's crypto is handed to it in JavaScript.
-- For tests only: a device running Lua would use its firmware's hash (NodeMCU crypto).

local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
  0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
  0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
  0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
  0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
}

local MASK = 0xffffffff

local function rotr(x, n)
  return ((x >> n) | (x << (32 - n))) & MASK
end

local function compress(state, block)
  local w = {}
  for i = 0, 15 do
    local j = i * 4
    w[i] = (block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3]
  end
  for i = 16, 63 do
    local s0 = rotr(w[i - 15], 7) ~ rotr(w[i - 15], 18) ~ (w[i - 15] >> 3)
    local s1 = rotr(w[i - 2], 17) ~ rotr(w[i - 2], 19) ~ (w[i - 2] >> 10)
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & MASK
  end
  local a, b, c, d, e, f, g, h = table.unpack(state, 1, 8)
  for i = 0, 63 do
    local S1 = rotr(e, 6) ~ rotr(e, 11) ~ rotr(e, 25)
    local ch = (e & f) ~ ((~e) & g)
    local t1 = (h + S1 + ch + K[i + 1] + w[i]) & MASK
    local S0 = rotr(a, 2) ~ rotr(a, 13) ~ rotr(a, 22)
    local maj = (a & b) ~ (a & c) ~ (b & c)
    local t2 = (S0 + maj) & MASK
    h, g, f, e, d, c, b, a = g, f, e, (d + t1) & MASK, c, b, a, (t1 + t2) & MASK
  end
  local result = { a, b, c, d, e, f, g, h }
  for i = 1, 8 do state[i] = (state[i] + result[i]) & MASK end
end

--- @param message Uint8Array (the shim) @return Uint8Array of 32 bytes
function sha256(message)
  local state = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  }
  local length = message.length
  -- Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit big-endian.
  local padded = {}
  for i = 0, length - 1 do padded[i] = message[i] end
  padded[length] = 0x80
  local total = length + 1
  while total % 64 ~= 56 do padded[total] = 0; total = total + 1 end
  local bits = length * 8
  for i = 7, 0, -1 do padded[total + 7 - i] = (bits >> (i * 8)) & 0xff end
  total = total + 8
  for offset = 0, total - 1, 64 do
    local block = {}
    for i = 0, 63 do block[i] = padded[offset + i] end
    compress(state, block)
  end
  local out = setmetatable({}, Uint8Array.prototype)
  out:____constructor(32)
  for i = 0, 7 do
    for j = 0, 3 do out[i * 4 + j] = (state[i + 1] >> (24 - j * 8)) & 0xff end
  end
  return out
end
