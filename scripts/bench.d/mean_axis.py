# Peer of mean_axis.lua.
from harness import np, case, size

r, c = size(2000, 500), size(5000, 2000)
a = np.linspace(0, 1, r * c).reshape(r, c)
check = lambda m: [str(m.dtype), m[0], m[m.size // 2 - 1], m[-1]]

case("mean_axis1", "numpy", "a.mean(axis=0)", lambda: a.mean(axis=0), check)
case("mean_axis2", "numpy", "a.mean(axis=1)", lambda: a.mean(axis=1), check)
