# Peer of diffusion.lua: the book's best NumPy version (High Performance Python, ch. 6: the
# Laplacian by in-place roll-adds into a preallocated array, then out *= D*dt; out += grid,
# buffers swapped) and its numexpr version (the same Laplacian, then
# ne.evaluate("out*D*dt+grid", out=out)). 100 steps from the book's initial block.
from harness import np, case, size, optional

ne = optional("numexpr")
steps, D, dt = 100, 1.0, 0.1


def initial(n):
    grid = np.zeros((n, n))
    lo, hi = int(n * 0.4), int(n * 0.5)
    grid[lo:hi, lo:hi] = 0.005
    return grid


def roll_add(rollee, shift, axis, out):
    if shift == 1 and axis == 0:
        out[1:, :] += rollee[:-1, :]
        out[0, :] += rollee[-1, :]
    elif shift == -1 and axis == 0:
        out[:-1, :] += rollee[1:, :]
        out[-1, :] += rollee[0, :]
    elif shift == 1 and axis == 1:
        out[:, 1:] += rollee[:, :-1]
        out[:, 0] += rollee[:, -1]
    elif shift == -1 and axis == 1:
        out[:, :-1] += rollee[:, 1:]
        out[:, -1] += rollee[:, 0]


def laplacian_inplace(grid, out):
    np.copyto(out, grid)
    out *= -4
    roll_add(grid, +1, 0, out)
    roll_add(grid, -1, 0, out)
    roll_add(grid, +1, 1, out)
    roll_add(grid, -1, 1, out)


def run_numpy(grid0, scratch, nxt):
    grid = scratch
    np.copyto(grid, grid0)
    for _ in range(steps):
        laplacian_inplace(grid, nxt)
        nxt *= D * dt
        nxt += grid
        grid, nxt = nxt, grid
    return grid


def run_numexpr(grid0, scratch, nxt):
    grid = scratch
    np.copyto(grid, grid0)
    for _ in range(steps):
        laplacian_inplace(grid, nxt)
        ne.evaluate("nxt*D*dt+grid", out=nxt)
        grid, nxt = nxt, grid
    return grid


for n in (size(512, 128), size(2048, 256)):
    grid0 = initial(n)
    a, b = np.zeros((n, n)), np.zeros((n, n))
    check = lambda r, n=n: ["float64", r.sum(), r[n // 2 - 1, n // 2 - 1],
                            r[int(n * 0.4) - 1, n // 3 - 1]]
    case("diffusion_%d" % n, "numpy", "in-place roll_add Laplacian, out *= D*dt; out += grid",
         lambda: run_numpy(grid0, a, b), check)
    case("diffusion_%d" % n, "numexpr", "roll_add Laplacian, ne.evaluate('out*D*dt+grid', out=out)",
         lambda: run_numexpr(grid0, a, b), check)
