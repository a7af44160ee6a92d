-- Monte Carlo pi (High Performance Python, ch. 9: estimate_nbr_points_in_quarter_circle):
-- a plain Lua loop, the array version on ts.random (uniform x and y in chunks, then
-- (x*x + y*y):le(1):sum()), and the fused native kernel ts.kernels.pi, which draws the same
-- kind of Philox numbers and counts without arrays. Same seed, same estimate on any number
-- of threads. Run: scripts/run examples/pi.lua [threads]
local ts = require "tessera"
if arg and arg[1] then ts.threads(tonumber(arg[1])) end

local function timed(fn)
  local t0 = ts.now()
  local a, b = fn()
  return ts.now() - t0, a, b
end

-- The book's loop, with Lua's math.random.
local function lua_loop(n)
  local inside = 0
  for _ = 1, n do
    local x, y = math.random(), math.random()
    if x * x + y * y <= 1 then inside = inside + 1 end
  end
  return 4 * inside / n
end

-- The array version: chunks of uniform float64 x and y from one generator.
local function arrays(n, seed)
  local rng, chunk, inside, done = ts.random.new(seed), 1 << 20, 0, 0
  while done < n do
    local k = math.min(chunk, n - done)
    local x, y = rng:uniform(k), rng:uniform(k)
    inside = inside + (x * x + y * y):le(1):sum()
    done = done + k
  end
  return 4 * inside / n
end

local n = 100000000
print(("Monte Carlo pi from %d points, %d thread(s):"):format(n, ts.threads()))
math.randomseed(42)
local small = 2000000
local t_lua, p_lua = timed(function() return lua_loop(small) end)
print(("  plain Lua loop     %8.3f s  (estimated from %d points: pi ~ %.5f)"):format(
  t_lua * n / small, small, p_lua))
local t_arr, p_arr = timed(function() return arrays(n, 42) end)
print(("  ts.random arrays   %8.3f s  pi ~ %.6f"):format(t_arr, p_arr))
local t_k, p_k, hits = timed(function() return ts.kernels.pi(n, { seed = 42 }) end)
print(("  ts.kernels.pi      %8.3f s  pi ~ %.6f (%d inside)"):format(t_k, p_k, hits))
local sigma = 4 * math.sqrt(math.pi / 4 * (1 - math.pi / 4) / n)
print(("  error %.2e, one standard deviation %.2e"):format(math.abs(p_k - math.pi), sigma))

local threads = ts.threads()
ts.threads(1)
local t1, p1 = timed(function() return ts.kernels.pi(n, { seed = 42 }) end)
ts.threads(threads)
print(("  ts.kernels.pi on 1 thread: %.3f s, the same estimate: %s"):format(t1, tostring(p1 == p_k)))
