-- a + b on two 1e7 float64 arrays into a new array (fresh result memory every time).
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(0, 1, n), ts.linspace(1, 2, n)

H.case { name = "add_new", what = "a + b, " .. H.fmt_n(n) .. " float64, into a new array",
         code = "a + b", run = function() return a + b end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
