# Peer of jit_showcase.lua.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b = np.linspace(0, 10, n), np.linspace(-3, 7, n)
check = lambda r: [str(r.dtype), int(r[0]), int(r[n // 3 - 1]), int(r[-1]), int(r.sum())]

for name in ("jit_showcase", "jit_showcase_eval"):
    case(name, "numpy", "a*b - 4.1*a > 2.5*b", lambda: a * b - 4.1 * a > 2.5 * b, check)
    case(name, "numexpr", "ne.evaluate('a*b - 4.1*a > 2.5*b')",
         lambda: ne.evaluate("a*b - 4.1*a > 2.5*b"), check)
if nb:
    @nb.njit(parallel=True)
    def nb_expr(a, b):
        r = np.empty(a.size, dtype=np.bool_)
        for i in nb.prange(a.size):
            r[i] = a[i] * b[i] - 4.1 * a[i] > 2.5 * b[i]
        return r
case("jit_showcase", "numba", "prange loop", lambda: nb_expr(a, b), check)
