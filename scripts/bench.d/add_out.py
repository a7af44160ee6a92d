# Peer of add_out.lua.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b = np.linspace(0, 1, n), np.linspace(1, 2, n)
c = np.zeros(n)
check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]

case("add_out", "numpy", "np.add(a, b, out=c)", lambda: np.add(a, b, out=c), check)
case("add_out", "numexpr", "ne.evaluate('a + b', out=c)", lambda: ne.evaluate("a + b", out=c), check)
if nb:
    @nb.njit(parallel=True)
    def nb_add(a, b, c):
        for i in nb.prange(a.size):
            c[i] = a[i] + b[i]
        return c
case("add_out", "numba", "prange loop into c", lambda: nb_add(a, b, c), check)
