# Peer of norm.lua.
from harness import np, case, size

n = size(10**7, 10**6)
a = np.linspace(-1, 2, n)

case("norm", "numpy", "np.linalg.norm(a)", lambda: np.linalg.norm(a), lambda r: [r])
