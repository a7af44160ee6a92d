# Peer of matmul.lua. NumPy calls the BLAS (Debian: libblas.so.3 -> OpenBLAS); its threads follow
# OPENBLAS_NUM_THREADS.
from harness import np, case, size

n = size(2000, 500)
a = np.linspace(-1, 1, n * n).reshape(n, n)
b = np.cos(np.linspace(0, 7, n * n)).reshape(n, n)
a32, b32 = a.astype(np.float32), b.astype(np.float32)
check = lambda c: [str(c.dtype), c[0, 0], c[n // 2 - 1, n // 3 - 1], c[-1, -1]]

case("matmul", "numpy", "a @ b", lambda: a @ b, check)
case("matmul_f32", "numpy", "a @ b", lambda: a32 @ b32, check)

s = a + np.eye(n) * n
v = np.cos(np.linspace(0, 3, n))
case("solve", "numpy", "np.linalg.solve(s, v)", lambda: np.linalg.solve(s, v),
     lambda x: [str(x.dtype), x[0], x[n // 2 - 1], x[-1]])
case("inv", "numpy", "np.linalg.inv(s)", lambda: np.linalg.inv(s), check)
