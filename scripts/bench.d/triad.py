# Peer of triad.lua.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b = np.linspace(0, 1, n), np.linspace(1, 2, n)
c = np.zeros(n)
check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]


def two_pass():
    np.multiply(b, 2.5, out=c)
    return np.add(a, c, out=c)


case("triad", "numpy", "np.multiply(b, 2.5, out=c); np.add(a, c, out=c)", two_pass, check)
case("triad", "numexpr", "ne.evaluate('a + 2.5*b', out=c)",
     lambda: ne.evaluate("a + 2.5*b", out=c), check)
if nb:
    @nb.njit(parallel=True)
    def nb_triad(a, b, c):
        for i in nb.prange(a.size):
            c[i] = a[i] + 2.5 * b[i]
        return c
case("triad", "numba", "prange loop into c", lambda: nb_triad(a, b, c), check)
