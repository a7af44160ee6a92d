-- ts.jit on sin(a)^2 + cos(b)^2, 1e7 float64: transcendentals in one fused pass.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(-100, 100, n), ts.linspace(0, 50, n)
local f = ts.jit(function(x, y) return ts.sin(x) ^ 2 + ts.cos(y) ^ 2 end)

H.case { name = "jit_sincos", what = "sin(a)^2 + cos(b)^2, " .. H.fmt_n(n) .. " float64, a in [-100, 100], b in [0, 50], new array",
         code = "f = ts.jit(function(a, b) return ts.sin(a)^2 + ts.cos(b)^2 end); f(a, b)",
         run = function() return f(a, b) end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
