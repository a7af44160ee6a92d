# Peer of par_overhead.lua: multiprocessing.Pool.map of an empty function, per item (the Python
# pool with THREADS processes, shown in the NumPy column since it is plain CPython).
import multiprocessing as mp
from harness import case, size, THREADS

n = size(1_000_000, 100_000)


def empty(_):
    return None


if __name__ == "__main__":
    with mp.Pool(THREADS) as pool:
        case("par_overhead", "numpy", "Pool(workers).map(empty, range(n))",
             lambda: len(pool.map(empty, range(n))), inner=n)
        case("par_overhead_chunk1", "numpy", "Pool(workers).map(empty, range(n), 1)",
             lambda: len(pool.map(empty, range(n // 100), 1)), inner=n // 100)
