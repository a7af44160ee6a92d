# Peer of norm_squared.lua: the book's NumPy versions.
from harness import np, case, size

n = size(10**6, 10**5)
v = np.arange(n, dtype=np.float64)
check = lambda r: [r]
case("norm_sq_mul_sum", "numpy", "np.sum(v * v)", lambda: np.sum(v * v), check)
case("norm_sq_dot", "numpy", "np.dot(v, v)", lambda: np.dot(v, v), check)
case("norm_sq_norm", "numpy", "np.linalg.norm(v)**2", lambda: np.linalg.norm(v) ** 2,
     lambda r: [round(r / 1e6)])
