-- A fake HAL for running the compiled logic in Lua tests: a clock that moves only with
-- advance(), timers on it, Storage as a table, and every output printed as one line
-- "<ms> <what> <details>", exactly as lua/logic-hal.ts prints it in Node. HAL interfaces
-- keep `self` in the Lua build (they are declared in src/hal.ts), so these are methods;
-- the callbacks the logic hands over are plain functions.

FakeHal = {}
FakeHal.__index = FakeHal

-- battery: volts batteryVolts() reads; unixStart: wall-clock seconds at ms 0.
function FakeHal.new(battery, unixStart)
  return setmetatable({
    now = 0, timers = {}, nextId = 1, files = {}, writeRefused = false,
    battery = battery or 3, unixStart = unixStart or 0, button = false,
  }, FakeHal)
end

-- Numbers as JavaScript prints them when they are whole (all the logic's times are).
local function number(value)
  if value == math.floor(value) then return string.format("%d", value) end
  return string.format("%.17g", value)
end

local function hex(bytes)
  local out = {}
  for i = 0, bytes.length - 1 do out[#out + 1] = string.format("%02x", bytes[i]) end
  return table.concat(out)
end

function FakeHal.bytes(text)
  local values = {}
  for i = 1, #text, 2 do values[#values + 1] = tonumber(text:sub(i, i + 1), 16) end
  local instance = setmetatable({}, Uint8Array.prototype)
  instance:____constructor(values)
  return instance
end

function FakeHal:log(what, details)
  print(number(self.now) .. " " .. what .. (details ~= nil and (" " .. details) or ""))
end

-- Clock and timers.

function FakeHal:nowMs() return self.now end

function FakeHal:unixSeconds() return self.unixStart + self.now // 1000 end

function FakeHal:after(ms, run)
  local id = self.nextId
  self.nextId = id + 1
  self.timers[id] = { due = self.now + ms, run = run }
  return id
end

function FakeHal:every(ms, run)
  local id = self.nextId
  self.nextId = id + 1
  self.timers[id] = { due = self.now + ms, run = run, period = ms }
  return id
end

function FakeHal:cancel(id)
  if id ~= nil then self.timers[id] = nil end
end

-- Runs due timers in time order (then id order), up to now + ms.
function FakeHal:advance(ms)
  local finish = self.now + ms
  while true do
    local nextId, nextTimer = nil, nil
    for id, timer in pairs(self.timers) do
      if timer.due <= finish and (nextTimer == nil or timer.due < nextTimer.due
          or (timer.due == nextTimer.due and id < nextId)) then
        nextId, nextTimer = id, timer
      end
    end
    if nextTimer == nil then break end
    self.now = nextTimer.due
    if nextTimer.period ~= nil then
      nextTimer.due = nextTimer.due + nextTimer.period
    else
      self.timers[nextId] = nil
    end
    nextTimer.run()
  end
  self.now = finish
end

-- Storage: values kept as given, printed as a number or as a flat object's fields in key
-- order ("c=1,d=0,m=d28443…").

local function render(value)
  if type(value) == "number" then return number(value) end
  if type(value) ~= "table" then return tostring(value) end
  local keys, fields = {}, {}
  for key in pairs(value) do keys[#keys + 1] = key end
  table.sort(keys)
  for _, key in ipairs(keys) do
    local field = value[key]
    fields[#fields + 1] = key .. "=" .. (type(field) == "number" and number(field) or tostring(field))
  end
  return table.concat(fields, ",")
end

function FakeHal:loadJson(file) return self.files[file] end

function FakeHal:saveJson(file, value)
  self.files[file] = value
  self:log("save", file .. " " .. render(value))
  return true
end

function FakeHal:eraseFile(file)
  self.files[file] = nil
  self:log("erase", file)
end

function FakeHal:freeBytes() return 100000 end

-- Button, battery, watchdog, console.

function FakeHal:watchButton(onEdge) self.buttonListener = onEdge end

function FakeHal:buttonPressed() return self.button end

-- The finger: an edge now, as the debounced setWatch reports it.
function FakeHal:edge(pressed)
  self.button = pressed
  if self.buttonListener ~= nil then self.buttonListener(pressed) end
end

function FakeHal:batteryVolts() return self.battery end

function FakeHal:startWatchdog(seconds) self:log("watchdog", number(seconds)) end

function FakeHal:feedWatchdog() self:log("kick") end

function FakeHal:note(line) self:log("note", line) end

-- Post: lamps, sense lines at rest (door shut, mains on, no call), intercom, serial link.

function FakeHal:lamp(which, on) self:log("lamp", which .. " " .. tostring(on)) end

function FakeHal:tamperOpen() return false end

function FakeHal:mainsPresent() return true end

function FakeHal:intercomDial(ms) self:log("dial", number(ms)) end

function FakeHal:intercomInCall() return false end

function FakeHal:linkWrite(bytes) self:log("link", hex(bytes)) end

function FakeHal:onLinkData(receive) self.linkListener = receive end

-- Bytes from the gateway's side of the serial line.
function FakeHal:feed(text)
  if self.linkListener ~= nil then self.linkListener(FakeHal.bytes(text)) end
end

-- Wearable: feedback and radio.

function FakeHal:vibrate(ms) self:log("vibrate", number(ms)) end

function FakeHal:advertise(data, intervalMs)
  self:log("advertise", hex(data) .. " " .. number(intervalMs))
end

function FakeHal:stopAdvertising() self:log("quiet") end

function FakeHal:useAddress(address) self:log("address", hex(address)) end

function FakeHal:startScan(onAdvert)
  self.scanListener = onAdvert
  self:log("scan", "on")
end

function FakeHal:stopScan()
  self.scanListener = nil
  self:log("scan", "off")
end

-- An advert heard over the air (manufacturer data after the company id).
function FakeHal:hear(text)
  if self.scanListener ~= nil then self.scanListener(FakeHal.bytes(text)) end
end
