# Peer of transposed_add.lua.
from harness import np, case, size

r, c = size(2000, 500), size(5000, 2000)
a = np.linspace(0, 1, r * c).reshape(r, c)
b = np.linspace(1, 2, r * c).reshape(r, c)
bt = np.linspace(1, 2, r * c).reshape(c, r)
check = lambda m: [str(m.dtype), m[0, 0], m[1, 2], m[-1, -1]]

case("contiguous_add", "numpy", "a + b", lambda: a + b, check)
case("transposed_add", "numpy", "a.T + b.T", lambda: a.T + b.T, check)
case("mixed_transposed_add", "numpy", "a + bt.T", lambda: a + bt.T, check)
case("strided_rows_add", "numpy", "a[::2] + b[::2]", lambda: a[::2] + b[::2], check)
case("strided_cols_add", "numpy", "a[:, ::2] + b[:, ::2]", lambda: a[:, ::2] + b[:, ::2], check)
