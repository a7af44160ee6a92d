# Peer of jit_expr.lua: numexpr and Numba fuse the expression; NumPy makes temporaries.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b, c = np.linspace(0, 1, n), np.linspace(1, 2, n), np.linspace(-1, 1, n)
out = np.zeros(n)
check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]

case("jit_expr", "numpy", "2*a + 3*b*c", lambda: 2 * a + 3 * b * c, check)
case("jit_expr", "numexpr", "ne.evaluate('2*a + 3*b*c')", lambda: ne.evaluate("2*a + 3*b*c"), check)
case("jit_expr_out", "numexpr", "ne.evaluate('2*a + 3*b*c', out=r)",
     lambda: ne.evaluate("2*a + 3*b*c", out=out), check)
case("jit_eval", "numexpr", "ne.evaluate('2*a + 3*b*c')", lambda: ne.evaluate("2*a + 3*b*c"), check)
case("jit_triad", "numexpr", "ne.evaluate('a + 2.5*b', out=c)", lambda: ne.evaluate("a + 2.5*b", out=out), check)
if nb:
    @nb.njit(parallel=True)
    def nb_expr(a, b, c):
        r = np.empty_like(a)
        for i in nb.prange(a.size):
            r[i] = 2 * a[i] + 3 * b[i] * c[i]
        return r

    @nb.njit(parallel=True)
    def nb_expr_out(a, b, c, r):
        for i in nb.prange(a.size):
            r[i] = 2 * a[i] + 3 * b[i] * c[i]
        return r

    @nb.njit(parallel=True)
    def nb_triad(a, b, r):
        for i in nb.prange(a.size):
            r[i] = a[i] + 2.5 * b[i]
        return r
case("jit_expr", "numba", "prange loop, new array", lambda: nb_expr(a, b, c), check)
case("jit_expr_out", "numba", "prange loop into r", lambda: nb_expr_out(a, b, c, out), check)
case("jit_triad", "numba", "prange loop into c", lambda: nb_triad(a, b, out), check)
