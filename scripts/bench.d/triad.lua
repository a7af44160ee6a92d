-- Bandwidth yardstick (STREAM triad): c = a + 2.5*b into an existing array, 1e7 float64.
-- Tessera and NumPy make two passes (b*2.5 into c, then a + c into c); numexpr and Numba one.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(0, 1, n), ts.linspace(1, 2, n)
local c = ts.zeros(n)

H.case { name = "triad", what = "c = a + 2.5*b, " .. H.fmt_n(n) .. " float64, into out (STREAM triad)",
         code = "ts.multiply(b, 2.5, c); ts.add(a, c, c)",
         run = function() ts.multiply(b, 2.5, c); return ts.add(a, c, c) end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
