-- Call overhead: c = a + b on 10-element float64 arrays in a Lua loop; time per operation.
local H = require "harness"
local k = H.size(200000, 20000)
local a, b = ts.linspace(0, 1, 10), ts.linspace(1, 2, 10)
local c = ts.empty(10)
local check = function(r) return { r.dtype, r:get(1), r:get(10) } end

H.case { name = "add10", what = "c = a + b, 10 float64, new array, per op in a loop of " .. H.fmt_n(k),
         code = "c = a + b", inner = k, check = check,
         run = function() local r; for _ = 1, k do r = a + b end; return r end }
H.case { name = "add10_out", what = "a + b into c, 10 float64, per op in a loop of " .. H.fmt_n(k),
         code = "ts.add(a, b, c)", inner = k, check = check,
         run = function() for _ = 1, k do ts.add(a, b, c) end; return c end }
