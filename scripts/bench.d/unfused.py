# Peer of unfused.lua. numexpr and Numba evaluate the expression in one fused pass.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b, c = np.linspace(0, 1, n), np.linspace(1, 2, n), np.linspace(-1, 1, n)
check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]

case("unfused", "numpy", "2*a + 3*b*c", lambda: 2 * a + 3 * b * c, check)
case("unfused", "numexpr", "ne.evaluate('2*a + 3*b*c')", lambda: ne.evaluate("2*a + 3*b*c"), check)
if nb:
    @nb.njit(parallel=True)
    def nb_expr(a, b, c):
        r = np.empty_like(a)
        for i in nb.prange(a.size):
            r[i] = 2 * a[i] + 3 * b[i] * c[i]
        return r
case("unfused", "numba", "prange loop (fused)", lambda: nb_expr(a, b, c), check)
