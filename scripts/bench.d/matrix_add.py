# Peer of matrix_add.lua.
from harness import np, add_loop_cases

n, k = 1024, 20
a = np.linspace(0, 1, n * n, dtype=np.float32).reshape(n, n)
b = np.linspace(1, 2, n * n, dtype=np.float32).reshape(n, n)
c = np.zeros((n, n), dtype=np.float32)
add_loop_cases("matrix_add", a, b, c, k, lambda m: [str(m.dtype), m[0, 0], m[1, 2], m[-1, -1]], "a + b")
