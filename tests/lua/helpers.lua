-- Helpers shared by the specs (they run with tests/lua as the working
-- directory, so `local h = require "helpers"` finds this file). Not a spec
-- itself: ctest registers only *_spec.lua.
local ts = require "tessera"

local h = {}

-- Row-major list of all elements, read one by one with a:get.
function h.values(a)
  if a.ndim == 0 then return { a:get() } end
  local shape, idx, out = a.shape, {}, {}
  for d = 1, #shape do idx[d] = 1 end
  for k = 1, a.size do
    out[k] = a:get(table.unpack(idx))
    for d = #shape, 1, -1 do
      idx[d] = idx[d] + 1
      if idx[d] <= shape[d] then break end
      idx[d] = 1
    end
  end
  return out
end

-- Asserts that fn raises an error whose message contains needle (plain
-- text, not a pattern); returns the message.
function h.errors(fn, needle)
  local ok, err = pcall(fn)
  assert(not ok, "expected an error containing '" .. needle .. "'")
  err = tostring(err)
  assert(err:find(needle, 1, true), ("error '%s' does not contain '%s'"):format(err, needle))
  return err
end

-- rows x cols array with a[i][j] = 10*i + j, so values name their own
-- position (int64 unless dtype is given).
function h.grid(rows, cols, dtype)
  local t = {}
  for i = 1, rows do
    t[i] = {}
    for j = 1, cols do t[i][j] = 10 * i + j end
  end
  return ts.array(t, dtype)
end

-- A handle whose storage was released by <close>.
function h.closed()
  local x
  do
    local y <close> = ts.zeros(3)
    x = y
  end
  return x
end

-- A small linear congruential generator, so randomised tests reproduce:
-- returns rnd(n), an integer from 1 to n.
function h.lcg(seed)
  return function(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
end

-- Calls fn with ts.threads(n), restoring the thread count afterwards (also
-- when fn fails); returns fn's results.
function h.with_threads(n, fn)
  local saved = ts.threads()
  ts.threads(n)
  local r = table.pack(pcall(fn))
  ts.threads(saved)
  assert(r[1], r[2])
  return table.unpack(r, 2, r.n)
end

return h
