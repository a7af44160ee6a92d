-- Prime counting by trial division written in Lua, run through ts.par.map over the range of
-- High Performance Python's multiprocessing chapter, [1e8, 1.01e8), sweeping the chunksize.
-- The workers follow --threads (ts.threads).
local H = require "harness"
local lo = 100000000
local count = H.size(1000000, 100000)

-- The book's check_prime, in Lua.
local function check_prime(n)
  if n % 2 == 0 then return false end
  for i = 3, math.floor(math.sqrt(n) + 1) - 1, 2 do
    if n % i == 0 then return false end
  end
  return true
end

ts.par.workers()  -- start the workers outside the timing
for _, c in ipairs { 1, 10, 100, 1000, 10000, 50000 } do
  H.case { name = ("primes_chunk%d"):format(c),
           what = ("primes in [1e8, 1e8 + %s), trial division in Lua, chunksize %d"):format(H.fmt_n(count), c),
           code = ("ts.par.map(check_prime, range, {chunksize = %d})"):format(c),
           run = function()
             local r = ts.par.map(function(i) return check_prime(lo + i - 1) end, count, { chunksize = c })
             local found = 0
             for i = 1, count do if r[i] then found = found + 1 end end
             return found
           end,
           check = function(found) return { found } end }
end
