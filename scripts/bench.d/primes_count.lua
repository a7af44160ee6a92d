-- Counting the primes of [1e8, 1.01e8) (High Performance Python's range) with native
-- kernels: trial division by the odd numbers up to sqrt(n) (the book's check_prime,
-- vectorized, numbers spread over the threads in small tasks), beside the segmented sieve,
-- and Miller-Rabin over the whole range as an array.
local H = require "harness"
local lo = 100000000
local count = H.size(1000000, 100000)
local hi = lo + count - 1
local check = function(c) return { c } end
local what = ("primes in [1e8, 1e8 + %s)"):format(H.fmt_n(count))

H.case { name = "primes_trial", what = what .. ", trial division",
         code = "ts.kernels.count_primes(lo, hi, {method = 'trial'})",
         run = function() return ts.kernels.count_primes(lo, hi, { method = "trial" }) end, check = check }
H.case { name = "primes_trial_serial", what = what .. ", trial division (peer: one thread)",
         code = "ts.kernels.count_primes(lo, hi, {method = 'trial'})",
         run = function() return ts.kernels.count_primes(lo, hi, { method = "trial" }) end, check = check }
H.case { name = "primes_sieve", what = what .. ", sieve", code = "ts.kernels.count_primes(lo, hi)",
         run = function() return ts.kernels.count_primes(lo, hi) end, check = check }
local numbers = ts.arange(lo, hi)
H.case { name = "primes_is_prime", what = what .. ", Miller-Rabin over an int64 array",
         code = "ts.kernels.is_prime(numbers):sum()",
         run = function() return ts.kernels.is_prime(numbers):sum() end, check = check }
