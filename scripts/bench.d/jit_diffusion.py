# Peer of jit_diffusion.lua: the book's NumPy in-place version (out *= D*dt; out += grid),
# its numexpr version and a Numba prange loop. Every implementation runs the update the same
# number of times, so the checked values agree.
from harness import np, case, size, optional

ne, nb = optional("numexpr"), optional("numba")
rows, cols = size(2500, 1000), size(4000, 1000)
D, dt = 1.0, 0.1
grid = np.linspace(0, 1, rows * cols).reshape(rows, cols)
check = lambda r: [str(r.dtype), r[0, 0], r[rows // 2 - 1, cols // 3 - 1], r[-1, -1]]


def fresh():
    return np.linspace(-1, 1, rows * cols).reshape(rows, cols)


out = fresh()


def numpy_update():
    global out
    out *= D * dt
    out += grid
    return out


case("jit_diffusion", "numpy", "out *= D*dt; out += grid", numpy_update, check)
out = fresh()
case("jit_diffusion", "numexpr", "ne.evaluate('out*D*dt + grid', out=out)",
     lambda: ne.evaluate("out*D*dt + grid", out=out), check)
if nb:
    @nb.njit(parallel=True)
    def nb_update(out, D, dt, grid):
        n, m = out.shape
        for i in nb.prange(n):
            for j in range(m):
                out[i, j] = out[i, j] * D * dt + grid[i, j]
        return out
out = fresh()
case("jit_diffusion", "numba", "prange loop in place", lambda: nb_update(out, D, dt, grid), check)
