-- Primes with native kernels (High Performance Python, ch. 9): count the primes of
-- [1e8, 1.01e8) by trial division (the book's check_prime, vectorized and on every core)
-- and by a segmented sieve, test a whole array with Miller-Rabin, and check one large
-- number by splitting its factor range across the threads with an early exit.
-- Run: scripts/run examples/primes.lua [threads]
local ts = require "tessera"
if arg and arg[1] then ts.threads(tonumber(arg[1])) end
local K = ts.kernels

local function timed(fn)
  local t0 = ts.now()
  local a, b = fn()
  return ts.now() - t0, a, b
end

-- The book's check_prime, in plain Lua, for comparison.
local function check_prime(n)
  if n % 2 == 0 then return false end
  for i = 3, math.floor(math.sqrt(n)), 2 do
    if n % i == 0 then return false end
  end
  return true
end

print(("Primes in [1e8, 1.01e8) on %d thread(s):"):format(ts.threads()))
local lo, hi = 100000000, 100999999
local small = 20000  -- plain Lua is slow: time a slice and scale it
local t_lua, c_lua = timed(function()
  local c = 0
  for n = lo, lo + small - 1 do if check_prime(n) then c = c + 1 end end
  return c
end)
print(("  plain Lua loop        %9.1f ms (estimated from %d numbers: %d primes there)"):format(
  t_lua * (hi - lo + 1) / small * 1e3, small, c_lua))
local t_trial, c_trial = timed(function() return K.count_primes(lo, hi, { method = "trial" }) end)
print(("  count_primes trial    %9.1f ms  %d primes"):format(t_trial * 1e3, c_trial))
local t_sieve, c_sieve = timed(function() return K.count_primes(lo, hi) end)
print(("  count_primes sieve    %9.1f ms  %d primes"):format(t_sieve * 1e3, c_sieve))
local numbers = ts.arange(lo, hi)
local t_mr, flags = timed(function() return K.is_prime(numbers) end)
print(("  is_prime(array)       %9.1f ms  %d primes (Miller-Rabin, %d numbers)"):format(
  t_mr * 1e3, flags:sum(), numbers.size))
local t_list, list = timed(function() return K.primes(lo, hi) end)
print(("  primes(lo, hi)        %9.1f ms  first %d, %d, %d ... last %d"):format(
  t_list * 1e3, list[1], list[2], list[3], list[-1]))
local t_pi9, pi9 = timed(function() return K.count_primes(1000000000) end)
print(("  count_primes(1e9)     %9.1f ms  %d (pi(1e9) = 50847534)"):format(t_pi9 * 1e3, pi9))

print("\nOne large number, its factor range [3, sqrt(n)] split across the threads:")
local book = 18014398777917439
local cases = {
  { book, "the book's prime" },
  { 134217689 * 134217757, "two primes near 2^27" },
  { 3 * 6004799592639147, "a factor of 3" },
}
for _, c in ipairs(cases) do
  local t, ok, f = timed(function() return K.is_prime_split(c[1]) end)
  print(("  %-20d %-22s %8.3f s  %s"):format(c[1], c[2], t,
    ok and "prime" or ("smallest factor " .. f)))
end
local t1 = ts.threads()
if t1 > 1 then
  ts.threads(1)
  local t = timed(function() return K.is_prime_split(book) end)
  ts.threads(t1)
  print(("  the book's prime on 1 thread: %.3f s"):format(t))
end
