-- HDF5 I/O (ts.h5) beside h5py (h5_io.py): write and read 1e8 float64 contiguous and
-- gzip-chunked (level 4, h5py's automatic chunks), and read a 1% hyperslab (a 2000 x 500
-- block) of a 20000 x 5000 float64 dataset. Files go to $TMPDIR (default /tmp) and are
-- removed at the end; --quick makes everything 10x smaller.
local H = require "harness"
local n = H.size(100000000, 10000000)
local rows, cols = H.size(20000, 2000), 5000
local dir = os.getenv("TMPDIR") or "/tmp"
local tag = ("%s/tessera_bench_h5_%d"):format(dir, math.random(1, 1e9))
local contig, gzip, slab = tag .. "_c.h5", tag .. "_g.h5", tag .. "_s.h5"
local a = ts.linspace(0, 1, n)
local label = H.fmt_n(n) .. " float64"

local function write(path, opts)
  local f <close> = ts.h5.open(path, "w")
  f:write("x", a, opts)
end
local function read(path)
  local f <close> = ts.h5.open(path)
  return f.x:read()
end
local function check(r) return { r.dtype, r:get(1), r:get(-1), r:get(n // 3) } end

H.case { name = "h5_write", what = "write " .. label .. " (contiguous)",
         code = 'f:write("x", a)', run = function() write(contig) end }
H.case { name = "h5_read", what = "read " .. label .. " (contiguous)",
         code = "f.x:read()", run = function() return read(contig) end, check = check }
H.case { name = "h5_write_gzip", what = "write " .. label .. " (gzip 4, auto chunks)",
         code = 'f:write("x", a, {compression = "gzip"})',
         run = function() write(gzip, { compression = "gzip" }) end }
H.case { name = "h5_read_gzip", what = "read " .. label .. " (gzip 4, auto chunks)",
         code = "f.x:read()", run = function() return read(gzip) end, check = check }

a = nil
collectgarbage()
do  -- the 2-D dataset, written a block of rows at a time
  local f <close> = ts.h5.open(slab, "w")
  local d = f:create_dataset("x", { shape = { rows, cols } })
  local step = 1000
  for r = 1, rows, step do
    local block = (ts.arange(step * cols) + (r - 1) * cols):astype("float64"):reshape(step, cols)
    d:write(block, { { r, r + step - 1 } })
  end
end
local r0, c0, nr, nc = rows // 3, cols // 5, rows // 10, cols // 10
H.case { name = "h5_slab", what = ("read a %d x %d hyperslab (1%%) of %d x %d float64"):format(nr, nc, rows, cols),
         code = "f.x:read{{r0, r0 + nr - 1}, {c0, c0 + nc - 1}}",
         run = function()
           local f <close> = ts.h5.open(slab)
           return f.x:read { { r0, r0 + nr - 1 }, { c0, c0 + nc - 1 } }
         end,
         check = function(r) return { r.dtype, r:get(1, 1), r:get(-1, -1) } end }
os.remove(contig)
os.remove(gzip)
os.remove(slab)
