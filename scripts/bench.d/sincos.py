# Peer of sincos.lua (and, through peers(), of jit_sincos.lua).
from harness import np, case, size, optional


def peers(name, numba_code):
    ne, nb = optional("numexpr"), optional("numba")
    n = size(10**7, 10**6)
    a, b = np.linspace(-100, 100, n), np.linspace(0, 50, n)
    check = lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]]

    case(name, "numpy", "np.sin(a)**2 + np.cos(b)**2", lambda: np.sin(a) ** 2 + np.cos(b) ** 2, check)
    case(name, "numexpr", "ne.evaluate('sin(a)**2 + cos(b)**2')",
         lambda: ne.evaluate("sin(a)**2 + cos(b)**2", local_dict={"a": a, "b": b}), check)
    if nb:
        @nb.njit(parallel=True)
        def nb_expr(a, b):
            r = np.empty_like(a)
            for i in nb.prange(a.size):
                r[i] = np.sin(a[i]) ** 2 + np.cos(b[i]) ** 2
            return r
    case(name, "numba", numba_code, lambda: nb_expr(a, b), check)


if __name__ == "__main__":
    peers("sincos", "prange loop (fused)")
