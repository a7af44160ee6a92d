# Peer of sum.lua.
from harness import np, case, size, optional

nb = optional("numba")
n = size(10**7, 10**6)
a = np.linspace(0, 1, n)
check = lambda r: [r]

case("sum", "numpy", "np.sum(a)", lambda: np.sum(a), check)
if nb:
    @nb.njit(parallel=True)
    def nb_sum(a):
        s = 0.0
        for i in nb.prange(a.size):
            s += a[i]
        return s
case("sum", "numba", "prange reduction", lambda: nb_sum(a), check)
