-- Interop, step 4: Tessera reads the file h5py wrote. arg[2] == "nolzf" when
-- the lzf plugin is hidden (HDF5_PLUGIN_PATH points at an empty directory).
local path, lzf = assert(arg[1]), arg[2] ~= "nolzf"
local f <close> = ts.h5.open(path, "r")
local function check(cond, what) if not cond then error("check failed: " .. what, 2) end end
local function same(a, b, what) check(a.dtype == b.dtype and ts.eq(a, b):all(), what) end

local gz = f.gz
check(gz.compression == "gzip" and gz.compression_opts == 5 and gz.shuffle, "gz filters")
check(gz.chunks[1] == 16 and gz.chunks[2] == 25, "gz chunks")
local expect = (ts.arange(6000) - 1):reshape(60, 100):astype("float64") / 7  -- np.arange(6000) / 7
same(gz:read(), expect, "gz values")
same(gz:read{{10, 12}, {-3, -1}}, expect[{{10, 12}, {-3, -1}}], "gz slab")
check(gz.attrs.desc == "gzip + shuffle", "gz attr")
local r = f.resizable
check(r.maxshape[1] == math.huge and r.maxshape[2] == 3, "maxshape")
same(r:read(), ts.arange(12):reshape(4, 3) - 1, "resizable values")
r = nil
same(f.flags:read(), ts.array({true, false, false, true}), "bool")
same(f.complex:read(), ts.array({ts.complex(1, 2), ts.complex(3, -4)}), "complex128")
check(f.complex.dtype == "complex128", "complex dtype: " .. f.complex.dtype)
same(f.c64:read(), ts.array({ts.complex(0.5, -1), ts.complex(0, 2.25)}, "complex64"), "complex64")
same(f.c64:read{{2, 2}}, ts.array({ts.complex(0, 2.25)}, "complex64"), "complex64 slab")
same(f.be_f8:read(), ts.arange(5):astype("float64") * 1.5 - 1.5, "big-endian float64")
same(f.be_i4:read(), ts.arange(5):astype("int32") - 3, "big-endian int32")
same(f.i16:read(), ts.array({-300, 0, 300}, "int32"), "int16 widened")
same(f.u16:read(), ts.array({0, 65535}, "int32"), "uint16 widened")
same(f.u32:read(), ts.array({0, 4294967295}, "int64"), "uint32 widened")
same(f.f16:read(), ts.array({0.5, -2.0}, "float32"), "float16 widened")
check(f.lzf.compression == "lzf", "lzf reported")
ok, err = pcall(function() return f.lzf:read() end)
if lzf then
  check(ok, "lzf read: " .. tostring(err))
  same(err, ts.arange(10000):astype("int32") - 1, "lzf values")
else
  check(not ok and err:find("filter 32000 (lzf) is not available", 1, true) and err:find("HDF5: ", 1, true),
        "lzf error: " .. tostring(err))
end
local fixed = f.fixed:read()
check(#fixed == 3 and fixed[1] == "ab" and fixed[2] == "cde" and fixed[3] == "", "fixed strings")
local v = f.vlen:read()
check(v[1] == "x" and v[2] == "yé", "vlen strings")
check(f.scalar:read():totable() == 3.25, "scalar")
check(f.attrs.title == "from h5py", "vlen attr")
check(f.attrs.fixed_title == "fixed", "fixed attr")
check(f.attrs.n == 7 and math.type(f.attrs.n) == "integer", "int32 attr")
same(f.attrs.list, ts.array({1, 2, 3}, "uint8"), "array attr")
local names = {}
for name in f:items() do names[#names + 1] = name end
check(#names == 15, "members: " .. #names)
print("tessera read the h5py file" .. (lzf and "" or " (without lzf)"))
