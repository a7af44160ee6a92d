# Peer of add10.lua: the same 10-element adds in a Python loop.
from harness import np, add_loop_cases, size

k = size(200000, 20000)
a, b = np.linspace(0, 1, 10), np.linspace(1, 2, 10)
add_loop_cases("add10", a, b, np.empty(10), k, lambda r: [str(r.dtype), r[0], r[9]], "c = a + b")
