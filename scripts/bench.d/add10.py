# Peer of add10.lua: the same 10-element adds in a Python loop.
from harness import np, case, size

k = size(200000, 20000)
a, b = np.linspace(0, 1, 10), np.linspace(1, 2, 10)
c = np.empty(10)
check = lambda r: [str(r.dtype), r[0], r[9]]


def new():
    for _ in range(k):
        r = a + b
    return r


def out():
    for _ in range(k):
        np.add(a, b, out=c)
    return c


case("add10", "numpy", "c = a + b", new, check, inner=k)
case("add10_out", "numpy", "np.add(a, b, out=c)", out, check, inner=k)
