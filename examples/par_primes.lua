-- Parallel Lua: count the primes in [1e8, 1e8 + 2e5) by trial division written in Lua, on every
-- core through ts.par.map, then find a factor of a semiprime with an early exit once any worker
-- has one. Run: scripts/run examples/par_primes.lua [threads]
local ts = require "tessera"
if arg and arg[1] then ts.threads(tonumber(arg[1])) end

local function is_prime(n)
  if n % 2 == 0 then return n == 2 end
  for d = 3, math.floor(math.sqrt(n)), 2 do
    if n % d == 0 then return false end
  end
  return true
end

local lo, count = 100000000, 200000
for _, chunk in ipairs { 1, 100, 10000 } do
  local t0 = ts.now()
  local flags = ts.par.map(function(i) return is_prime(lo + i - 1) end, count, { chunksize = chunk })
  local primes = 0
  for i = 1, count do if flags[i] then primes = primes + 1 end end
  print(("%d workers, chunksize %5d: %d primes in %.2f s"):format(ts.par.workers(), chunk, primes,
    ts.now() - t0))
end

-- Early exit: each task scans a range of odd divisors and stops when another found one.
local n = 104729 * 1000000007  -- the 10000th prime times a large one
local found, smallest = ts.par.flag(), ts.par.atomic(math.maxinteger)
local step = 20000
local tasks = ts.par.map(function(k)
  if found:is_set() then return 0 end
  local first = (k - 1) * step + 3
  if first % 2 == 0 then first = first + 1 end
  for d = first, k * step + 2, 2 do
    if n % d == 0 then
      smallest:min(d)
      found:set()
      return 1
    end
  end
  return 1
end, math.floor(math.sqrt(n)) // step + 1, { chunksize = 1 })
local ran = 0
for _, r in ipairs(tasks) do ran = ran + r end
print(("%d = %d x %d, found after %d of %d tasks"):format(n, smallest:get(), n // smallest:get(), ran,
  #tasks))
