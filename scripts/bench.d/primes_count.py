# Peer of primes_count.lua: the book's check_prime compiled by Numba, over prange (parallel)
# and a plain range (serial); the sieve of the range in NumPy (slice assignment per base
# prime) and in Numba.
import math
from harness import np, case, size, optional

nb = optional("numba")
lo = 100_000_000
count = size(1_000_000, 100_000)
hi = lo + count  # exclusive
check = lambda c: [c]


def base_primes(limit):
    flags = np.ones(limit + 1, dtype=bool)
    flags[:2] = False
    for p in range(2, math.isqrt(limit) + 1):
        if flags[p]:
            flags[p * p::p] = False
    return np.flatnonzero(flags)


def np_sieve():
    flags = np.ones(hi - lo, dtype=bool)
    for p in base_primes(math.isqrt(hi - 1)):
        first = max(p * p, (lo + p - 1) // p * p)
        flags[first - lo::p] = False
    return int(np.count_nonzero(flags))


if nb:
    @nb.njit
    def check_prime(n):
        if n % 2 == 0:
            return False
        for i in range(3, int(math.sqrt(n)) + 1, 2):
            if n % i == 0:
                return False
        return True

    @nb.njit(parallel=True)
    def nb_trial_parallel(lo, hi):
        c = 0
        for n in nb.prange(lo, hi):
            if check_prime(n):
                c += 1
        return c

    @nb.njit
    def nb_trial_serial(lo, hi):
        c = 0
        for n in range(lo, hi):
            if check_prime(n):
                c += 1
        return c

    @nb.njit
    def nb_sieve(lo, hi, base):
        flags = np.ones(hi - lo, dtype=np.bool_)
        for p in base:
            first = max(p * p, (lo + p - 1) // p * p)
            for m in range(first - lo, hi - lo, p):
                flags[m] = False
        return np.count_nonzero(flags)

case("primes_trial", "numba", "prange over check_prime (parallel=True)",
     lambda: nb_trial_parallel(lo, hi), check)
case("primes_trial_serial", "numba", "range over check_prime (serial njit)",
     lambda: nb_trial_serial(lo, hi), check)
case("primes_sieve", "numpy", "flags[first::p] = False per base prime", np_sieve, check)
base = base_primes(math.isqrt(hi - 1))
case("primes_sieve", "numba", "njit loop over the base primes' multiples",
     lambda: nb_sieve(lo, hi, base), check)
