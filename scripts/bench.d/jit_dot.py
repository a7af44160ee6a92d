# Peer of jit_dot.lua: NumPy's BLAS dot (threads follow OPENBLAS_NUM_THREADS/OMP_NUM_THREADS),
# numexpr's sum (single-threaded reductions), Numba's parallel reduction.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
n = size(10**7, 10**6)
a, b = np.linspace(-1, 2, n), np.linspace(1, 2, n)

for name in ("jit_dot", "jit_dot_eval"):
    case(name, "numpy", "np.dot(a, b)", lambda: np.dot(a, b), lambda r: [r])
    case(name, "numexpr", "ne.evaluate('sum(a*b)')", lambda: ne.evaluate("sum(a*b)"), lambda r: [r])
if nb:
    @nb.njit(parallel=True)
    def nb_dot(a, b):
        s = 0.0
        for i in nb.prange(a.size):
            s += a[i] * b[i]
        return s
case("jit_dot", "numba", "prange reduction", lambda: nb_dot(a, b), lambda r: [r])
