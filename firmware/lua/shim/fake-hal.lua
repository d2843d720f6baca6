-- A fake HAL for running the compiled logic in Lua tests: a clock that moves only with
-- advance(), timers on it, and nothing else. HAL interfaces keep `self` in the Lua build
-- (they are declared in src/hal.ts), so these are methods.

FakeHal = {}
FakeHal.__index = FakeHal

function FakeHal.new()
  return setmetatable({ now = 0, timers = {}, nextId = 1 }, FakeHal)
end

function FakeHal:nowMs() return self.now end

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
