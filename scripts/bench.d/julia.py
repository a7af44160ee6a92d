# Peer of julia.lua: the book's grid and loop (calc_pure_python, calculate_z_serial_purepython)
# as NumPy with masks over the points still running, as Numba @njit serially ("numba_serial")
# and as Numba's prange over the points ("numba", at the run's thread count).
from harness import np, case, size, optional

nb = optional("numba")
width = size(1000, 300)
maxiter = 300
c = complex(-0.62772, -0.42193)


def book_grid(w):
    x1, x2, y1, y2 = -1.8, 1.8, -1.8, 1.8
    x_step, y_step = (x2 - x1) / w, (y1 - y2) / w
    x, y = [], []
    ycoord = y2
    while ycoord > y1:
        y.append(ycoord)
        ycoord += y_step
    xcoord = x1
    while xcoord < x2:
        x.append(xcoord)
        xcoord += x_step
    return (np.array(x)[None, :] + 1j * np.array(y)[:, None]).ravel()


zs = book_grid(width)
check = lambda out: [int(out.sum()), int(out[0]), int(out[(width // 2 - 1) * width + width // 2 - 1])]


def numpy_julia(zs, c, maxiter):
    output = np.zeros(zs.shape, np.int32)
    idx = np.arange(zs.size)
    z = zs.copy()
    for _ in range(maxiter):
        alive = np.abs(z) < 2
        idx, z = idx[alive], z[alive]
        if idx.size == 0:
            break
        output[idx] += 1
        z = z * z + c
    return output


case("julia", "numpy", "masks over the running points: z = z*z + c; abs(z) < 2",
     lambda: numpy_julia(zs, c, maxiter), check)

if nb:
    @nb.njit
    def nb_serial(zs, c, maxiter):
        output = np.zeros(zs.size, np.int32)
        for i in range(zs.size):
            n, z = 0, zs[i]
            while abs(z) < 2 and n < maxiter:
                z = z * z + c
                n += 1
            output[i] = n
        return output

    @nb.njit(parallel=True)
    def nb_parallel(zs, c, maxiter):
        output = np.zeros(zs.size, np.int32)
        for i in nb.prange(zs.size):
            n, z = 0, zs[i]
            while abs(z) < 2 and n < maxiter:
                z = z * z + c
                n += 1
            output[i] = n
        return output

    case("julia", "numba_serial", "@njit calculate_z_serial_purepython (one thread at any count)",
         lambda: nb_serial(zs, c, maxiter), check)
    case("julia", "numba", "@njit(parallel=True), prange over the points",
         lambda: nb_parallel(zs, c, maxiter), check)
