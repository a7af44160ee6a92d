# Peer of pi.lua: NumPy in chunks and Numba's parallel loop drawing np.random (estimates agree
# to two decimals; the generators differ).
from harness import np, case, size, optional

nb = optional("numba")
n = size(100_000_000, 10_000_000)
chunk = 1 << 18
check = lambda p: [round(p, 2)]


def np_pi():
    rng = np.random.default_rng(42)
    inside = 0
    for start in range(0, n, chunk):
        k = min(chunk, n - start)
        x = rng.random(k, dtype=np.float32)
        y = rng.random(k, dtype=np.float32)
        inside += np.count_nonzero(x * x + y * y <= 1)
    return 4 * inside / n


if nb:
    @nb.njit(parallel=True)
    def nb_pi(n):
        count = 0
        for i in nb.prange(n):
            x = np.random.random()
            y = np.random.random()
            if x * x + y * y <= 1.0:
                count += 1
        return 4.0 * count / n

case("pi_vectorized", "numpy", "rng.random(k, float32) in chunks", np_pi, check)
case("pi_vectorized", "numba", "prange drawing np.random.random()", lambda: nb_pi(n), check)
case("pi_par_map", "numba", "prange drawing np.random.random()", lambda: nb_pi(n), check)
case("pi_fused", "numpy", "rng.random(k, float32) in chunks", np_pi, check)
case("pi_fused", "numba", "prange drawing np.random.random()", lambda: nb_pi(n), check)
