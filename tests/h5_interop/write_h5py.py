"""Interop, step 3: h5py writes a file for Tessera to read (read.lua)."""
import sys

import h5py
import numpy as np

path = sys.argv[1]
with h5py.File(path, "w") as f:
    f.create_dataset("gz", data=np.arange(6000, dtype=np.float64).reshape(60, 100) / 7,
                     chunks=(16, 25), compression="gzip", compression_opts=5, shuffle=True)
    r = f.create_dataset("resizable", shape=(0, 3), maxshape=(None, 3), dtype=np.int64)
    r.resize((4, 3))
    r[:] = np.arange(12).reshape(4, 3)
    f.create_dataset("flags", data=np.array([True, False, False, True]))
    f.create_dataset("complex", data=np.array([1 + 2j, 3 - 4j]))
    f.create_dataset("c64", data=np.array([0.5 - 1j, 2.25j], dtype=np.complex64))
    f.create_dataset("be_f8", data=np.arange(5, dtype=">f8") * 1.5)
    f.create_dataset("be_i4", data=np.arange(-2, 3, dtype=">i4"))
    f.create_dataset("i16", data=np.array([-300, 0, 300], dtype=np.int16))
    f.create_dataset("u16", data=np.array([0, 65535], dtype=np.uint16))
    f.create_dataset("u32", data=np.array([0, 4294967295], dtype=np.uint32))
    f.create_dataset("f16", data=np.array([0.5, -2.0], dtype=np.float16))
    f.create_dataset("lzf", data=np.arange(10000, dtype=np.int32), compression="lzf")
    f.create_dataset("fixed", data=np.array([b"ab", b"cde", b""], dtype="S5"))
    f.create_dataset("vlen", data=["x", "yé"], dtype=h5py.string_dtype())
    f.create_dataset("scalar", data=3.25)
    f.attrs["title"] = "from h5py"
    f.attrs["fixed_title"] = np.bytes_(b"fixed")
    f.attrs["n"] = np.int32(7)
    f.attrs["list"] = np.array([1, 2, 3], dtype=np.uint8)
    f["gz"].attrs["desc"] = "gzip + shuffle"
print("h5py wrote its file")
