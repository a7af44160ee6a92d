# Peer of primes.lua: the book's check_prime through multiprocessing.Pool(THREADS).map over the
# same range and chunksizes (plain CPython, shown in the NumPy column).
import math
import multiprocessing as mp
from harness import case, size, THREADS

lo = 100_000_000
count = size(1_000_000, 100_000)


def check_prime(n):
    if n % 2 == 0:
        return False
    from_i = 3
    to_i = math.sqrt(n) + 1
    for i in range(from_i, int(to_i), 2):
        if n % i == 0:
            return False
    return True


if __name__ == "__main__":
    with mp.Pool(THREADS) as pool:
        for c in (1, 10, 100, 1000, 10000, 50000):
            case("primes_chunk%d" % c, "numpy", "Pool(workers).map(check_prime, range, %d)" % c,
                 lambda: sum(pool.map(check_prime, range(lo, lo + count), c)),
                 lambda found: [found])
