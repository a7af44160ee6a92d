"""Interop, step 2: h5py checks the file Tessera wrote (values, dtypes, chunks,
compression, attributes)."""
import sys

import h5py
import numpy as np
from h5py._hl.filters import guess_chunk

path = sys.argv[1]
with h5py.File(path, "r") as f:
    assert sorted(f.keys()) == ["b", "c128", "c64", "f32", "f64", "filled", "grp", "i32", "s", "strings", "u8"], list(f.keys())
    d = f["c128"]
    assert d.dtype == np.dtype("<c16") and d.compression == "gzip", d.dtype
    assert d[()].tolist() == [[1 - 2j], [0.5 + 3j]], d[()]
    d = f["c64"]
    assert d.dtype == np.dtype("<c8") and d[()].tolist() == [-1 + 0.25j], d[()]
    d = f["f64"]
    assert d.dtype == np.dtype("<f8") and d.chunks is None and d.compression is None
    assert np.array_equal(d[()], np.linspace(0, 1, 11))
    d = f["i32"]
    assert d.dtype == np.dtype("<i4"), d.dtype
    assert d.chunks == (5, 20) and d.compression == "gzip" and d.compression_opts == 7 and d.shuffle
    assert np.array_equal(d[()], np.arange(1, 1001, dtype=np.int32).reshape(10, 100))
    assert d.attrs["scale"] == 2
    d = f["u8"]
    assert d.dtype == np.uint8 and np.array_equal(d[()], np.arange(256, dtype=np.uint8))
    d = f["b"]
    assert d.dtype == np.bool_, d.dtype
    assert d[()].tolist() == [True, False, True]
    d = f["f32"]
    assert d.dtype == np.dtype("<f4") and d.compression == "gzip" and d.compression_opts == 4
    assert d.chunks == guess_chunk((4, 5), None, 4), d.chunks
    assert np.all(d[()] == 0.5)
    d = f["grp/sub/grow"]
    assert d.maxshape == (None, 3) and d.chunks == guess_chunk((0, 3), None, 8), (d.maxshape, d.chunks)
    assert d[()].tolist() == [[1, 2, 3], [4, 5, 6]] and d.dtype == np.int64
    d = f["filled"]
    assert d.fillvalue == -1 and d[()].tolist() == [-1, -1, -1]
    assert f["s"].asstr()[()] == "héllo"
    assert f["strings"].asstr()[()].tolist() == ["a", "bb", "ççç"]
    a = f.attrs
    assert a["title"] == "Tessera → h5py", a["title"]
    assert a["count"] == 42 and a["count"].dtype == np.int64
    assert a["ratio"] == 0.25
    assert a["ok"] == True and a["ok"].dtype == np.bool_  # noqa: E712
    assert a["vec"].tolist() == [1.5, 2.5]
    assert list(a["names"]) == ["x", "y"], a["names"]
    assert f["grp/sub"].attrs["units"] == "m"
print("h5py read the Tessera file")
