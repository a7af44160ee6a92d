# Peer of add_new.lua.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b = np.linspace(0, 1, n), np.linspace(1, 2, n)
check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]

case("add_new", "numpy", "a + b", lambda: a + b, check)
case("add_new", "numexpr", "ne.evaluate('a + b')", lambda: ne.evaluate("a + b"), check)
if nb:
    @nb.njit(parallel=True)
    def nb_add(a, b):
        c = np.empty_like(a)
        for i in nb.prange(a.size):
            c[i] = a[i] + b[i]
        return c
case("add_new", "numba", "prange loop into np.empty_like(a)", lambda: nb_add(a, b), check)
