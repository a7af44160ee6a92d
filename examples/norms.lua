-- The norm squared of a vector (High Performance Python, ch. 6): a plain loop over a Lua
-- table, then Tessera arrays: (v * v):sum(), ts.dot(v, v) and ts.norm(v)^2.
-- Run: scripts/run examples/norms.lua [threads]
local ts = require "tessera"
if arg and arg[1] then ts.threads(tonumber(arg[1])) end

local n, repeats = 1000000, 20
local list = {}
for i = 1, n do list[i] = i - 1 end
local v = ts.arange(0, n - 1, "float64")

-- best of `repeats` runs of fn, in seconds, and its result
local function best(fn)
  local t, r = math.huge, nil
  for _ = 1, repeats do
    local t0 = ts.now()
    r = fn()
    t = math.min(t, ts.now() - t0)
  end
  return t, r
end

local cases = {
  { "Lua loop over a table", function()
      local s = 0
      for i = 1, #list do s = s + list[i] * list[i] end
      return s
    end },
  { "Lua ipairs over a table", function()
      local s = 0
      for _, x in ipairs(list) do s = s + x * x end
      return s
    end },
  { "(v * v):sum()", function() return (v * v):sum() end },
  { "ts.dot(v, v)", function() return ts.dot(v, v) end },
  { "ts.norm(v)^2", function() return ts.norm(v) ^ 2 end },
}
print(("norm squared of 0 .. %d (%d elements), %d thread(s), best of %d:"):format(
  n - 1, n, ts.threads(), repeats))
local base
for _, c in ipairs(cases) do
  local t, r = best(c[2])
  base = base or t
  print(("  %-26s %9.3f ms  %7.1fx  %.17g"):format(c[1], t * 1e3, base / t, r))
end
print(("  exact: %d"):format((n - 1) * n * (2 * n - 1) // 6))
