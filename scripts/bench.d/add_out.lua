-- a + b on two 1e7 float64 arrays into an existing out array.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(0, 1, n), ts.linspace(1, 2, n)
local c = ts.zeros(n)

H.case { name = "add_out", what = "a + b, " .. H.fmt_n(n) .. " float64, into out",
         code = "ts.add(a, b, c)", run = function() return ts.add(a, b, c) end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
