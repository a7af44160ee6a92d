# Peer of dot.lua. NumPy calls the BLAS; its threads follow OPENBLAS_NUM_THREADS/OMP_NUM_THREADS.
from harness import np, case, size

n = size(10**7, 10**6)
a, b = np.linspace(-1, 2, n), np.linspace(1, 2, n)

case("dot", "numpy", "np.dot(a, b)", lambda: np.dot(a, b), lambda r: [r])
