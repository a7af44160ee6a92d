# Peer of jit_overhead.lua. First call: numexpr parses and compiles a new expression (its
# cache cleared), Numba compiles a new @njit function. Cached calls on 10 elements: numexpr's
# evaluate, a compiled Numba @njit function (serial: threads only slow 10 elements), and
# NumPy's unfused expression.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
k = size(200000, 20000)
a, b, c = np.linspace(0, 1, 10), np.linspace(1, 2, 10), np.linspace(-1, 1, 10)
check = lambda r: [str(r.dtype), r[0], r[9]]


def ne_first():
    ne.necompiler._numexpr_cache.clear()
    ne.necompiler._names_cache.clear()
    return ne.evaluate("2*a + 3*b*c")


def expr(a, b, c):
    r = np.empty_like(a)
    for i in range(a.size):
        r[i] = 2 * a[i] + 3 * b[i] * c[i]
    return r


def nb_first():
    return nb.njit(expr)(a, b, c)


case("jit_first_call", "numexpr", "ne.evaluate('2*a + 3*b*c') after clearing its cache", ne_first, check)
case("jit_first_call", "numba", "nb.njit(f)(a, b, c)", nb_first, check)


def ne_loop():
    for _ in range(k):
        r = ne.evaluate("2*a + 3*b*c")
    return r


def np_loop():
    for _ in range(k):
        r = 2 * a + 3 * b * c
    return r


case("jit_cached_10", "numexpr", "ne.evaluate('2*a + 3*b*c')", ne_loop, check, inner=k)
case("jit_cached_10", "numpy", "2*a + 3*b*c", np_loop, check, inner=k)
if nb:
    nb_expr = nb.njit(expr)

    def nb_loop():
        for _ in range(k):
            r = nb_expr(a, b, c)
        return r
    case("jit_cached_10", "numba", "@njit f(a, b, c)", nb_loop, check, inner=k)
case("unfused_10", "numpy", "2*a + 3*b*c", np_loop, check, inner=k)
