# Peer of astype.lua.
from harness import np, case, size

n = size(10**7, 10**6)
a = np.linspace(-1, 1, n)

case("astype", "numpy", "a.astype(np.float32)", lambda: a.astype(np.float32),
     lambda r: [str(r.dtype), r[0], r[n // 3 - 1], r[-1]])
