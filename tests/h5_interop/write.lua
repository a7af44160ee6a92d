-- Interop, step 1: Tessera writes a file for h5py to check (check_tessera.py).
local path = assert(arg[1], "usage: write.lua PATH")
local f <close> = ts.h5.open(path, "w")
f:write("f64", ts.linspace(0, 1, 11))
f:write("i32", ts.arange(1000):astype("int32"):reshape(10, 100),
        {chunks = {5, 20}, compression = "gzip", level = 7, shuffle = true})
f:write("u8", ts.arange(256):astype("uint8") - 1)
f:write("b", ts.array({true, false, true}))
f:write("f32", ts.ones(4, 5, "float32") * 0.5, {compression = "gzip"})  -- automatic chunks
local g = f:create_group("grp/sub")
local grow = g:create_dataset("grow", {shape = {0, 3}, maxshape = {nil, 3}, dtype = "int64"})
grow:append(ts.array({{1, 2, 3}, {4, 5, 6}}))
f:create_dataset("filled", {shape = {3}, dtype = "float32", fillvalue = -1})
f:write("c128", ts.array({ts.complex(1, -2), ts.complex(0.5, 3)}):reshape(2, 1),
        {compression = "gzip"})
f:write("c64", ts.array({ts.complex(-1, 0.25)}, "complex64"))
f:write("s", "héllo")
f:write("strings", {"a", "bb", "ççç"})
f.attrs.title = "Tessera → h5py"
f.attrs.count = 42
f.attrs.ratio = 0.25
f.attrs.ok = true
f.attrs.vec = ts.array({1.5, 2.5})
f.attrs.names = {"x", "y"}
g.attrs.units = "m"
f.i32.attrs.scale = 2
