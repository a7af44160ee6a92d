-- ts.jit's overhead: the first call of a new jitted function (trace, compile, run) and a
-- cached call, on 10-element float64 arrays, f = 2*a + 3*b*c.
local H = require "harness"
local k = H.size(200000, 20000)
local a, b, c = ts.linspace(0, 1, 10), ts.linspace(1, 2, 10), ts.linspace(-1, 1, 10)
local expr = function(x, y, z) return 2 * x + 3 * y * z end
local f = ts.jit(expr)
local check = function(r) return { r.dtype, r:get(1), r:get(10) } end

H.case { name = "jit_first_call", what = "ts.jit(f)(a, b, c): trace, compile and run, 10 float64",
         code = "ts.jit(function(a, b, c) return 2*a + 3*b*c end)(a, b, c)", check = check,
         run = function() return ts.jit(expr)(a, b, c) end }
H.case { name = "jit_cached_10", what = "f(a, b, c) compiled, 10 float64, per call in a loop of " .. H.fmt_n(k),
         code = "f(a, b, c)", inner = k, check = check,
         run = function() local r; for _ = 1, k do r = f(a, b, c) end; return r end }
H.case { name = "unfused_10", what = "2*a + 3*b*c operator by operator, 10 float64, per expression in a loop of " .. H.fmt_n(k),
         code = "2*a + 3*b*c", inner = k, check = check,
         run = function() local r; for _ = 1, k do r = 2 * a + 3 * b * c end; return r end }
