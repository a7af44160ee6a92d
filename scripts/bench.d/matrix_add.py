# Peer of matrix_add.lua.
from harness import np, case

n, k = 1024, 20
a = np.linspace(0, 1, n * n, dtype=np.float32).reshape(n, n)
b = np.linspace(1, 2, n * n, dtype=np.float32).reshape(n, n)
c = np.zeros((n, n), dtype=np.float32)
check = lambda m: [str(m.dtype), m[0, 0], m[1, 2], m[-1, -1]]


def new():
    for _ in range(k):
        r = a + b
    return r


def out():
    for _ in range(k):
        np.add(a, b, out=c)
    return c


case("matrix_add", "numpy", "a + b", new, check, inner=k)
case("matrix_add_out", "numpy", "np.add(a, b, out=c)", out, check, inner=k)
