-- Cast of 1e7 float64 to float32 (a new array).
local H = require "harness"
local n = H.size(10000000, 1000000)
local a = ts.linspace(-1, 1, n)

H.case { name = "astype", what = "float64 to float32, " .. H.fmt_n(n) .. " elements", code = 'a:astype("float32")',
         run = function() return a:astype("float32") end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
