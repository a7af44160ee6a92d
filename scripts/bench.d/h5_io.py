# Peer of h5_io.lua: the same files written and read with h5py (reported in the NumPy column).
import os
import random

from harness import np, case, size, fmt_n, optional

h5py = optional("h5py")
n = size(10**8, 10**7)
rows, cols = size(20000, 2000), 5000
tmp = os.environ.get("TMPDIR", "/tmp")
tag = "%s/h5py_bench_%d" % (tmp, random.randint(1, 10**9))
contig, gzip, slab = tag + "_c.h5", tag + "_g.h5", tag + "_s.h5"
a = np.linspace(0, 1, n)


def write(path, **kw):
    with h5py.File(path, "w") as f:
        f.create_dataset("x", data=a, **kw)


def read(path):
    with h5py.File(path, "r") as f:
        return f["x"][()]


def check(r):
    return [str(r.dtype), r[0], r[-1], r[n // 3 - 1]]


if h5py is None:
    for name in ("h5_write", "h5_read", "h5_write_gzip", "h5_read_gzip", "h5_slab"):
        case(name, "h5py", "", lambda: None)
else:
    case("h5_write", "numpy", "h5py: f.create_dataset('x', data=a)", lambda: write(contig))
    case("h5_read", "numpy", "h5py: f['x'][()]", lambda: read(contig), check)
    case("h5_write_gzip", "numpy", "h5py: f.create_dataset('x', data=a, compression='gzip')",
         lambda: write(gzip, compression="gzip"))
    case("h5_read_gzip", "numpy", "h5py: f['x'][()]", lambda: read(gzip), check)
    a = None
    with h5py.File(slab, "w") as f:
        d = f.create_dataset("x", shape=(rows, cols), dtype="f8")
        step = 1000
        for r in range(0, rows, step):
            d[r:r + step] = np.arange(r * cols + 1, (r + step) * cols + 1, dtype=np.float64).reshape(step, cols)
    r0, c0, nr, nc = rows // 3, cols // 5, rows // 10, cols // 10

    def slab_read():
        with h5py.File(slab, "r") as f:
            return f["x"][r0 - 1:r0 - 1 + nr, c0 - 1:c0 - 1 + nc]
    case("h5_slab", "numpy", "h5py: f['x'][r0:r0+nr, c0:c0+nc]", slab_read,
         lambda r: [str(r.dtype), r[0, 0], r[-1, -1]])
    for p in (contig, gzip, slab):
        os.remove(p)
