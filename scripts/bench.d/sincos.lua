-- Transcendentals: sin(a)^2 + cos(b)^2 on 1e7 float64, unfused.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(-100, 100, n), ts.linspace(0, 50, n)

H.case { name = "sincos", what = "sin(a)^2 + cos(b)^2, " .. H.fmt_n(n) .. " float64, a in [-100, 100], b in [0, 50], new array",
         code = "ts.sin(a)^2 + ts.cos(b)^2", run = function() return ts.sin(a) ^ 2 + ts.cos(b) ^ 2 end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
