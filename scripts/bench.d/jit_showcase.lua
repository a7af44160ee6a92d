-- ts.jit on numexpr's showcase a*b - 4.1*a > 2.5*b, 1e7 float64 in, bool out.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(0, 10, n), ts.linspace(-3, 7, n)
local f = ts.jit(function(x, y) return (x * y - 4.1 * x):gt(2.5 * y) end)
local tonum = function(v) return v and 1 or 0 end

H.case { name = "jit_showcase", what = "a*b - 4.1*a > 2.5*b, " .. H.fmt_n(n) .. " float64, new bool array",
         code = "f = ts.jit(function(a, b) return (a*b - 4.1*a):gt(2.5*b) end); f(a, b)",
         run = function() return f(a, b) end,
         check = function(r) return { r.dtype, tonum(r:get(1)), tonum(r:get(n // 3)), tonum(r:get(n)), r:sum() } end }
H.case { name = "jit_showcase_eval", what = "the same through ts.eval",
         code = "ts.eval('a*b - 4.1*a > 2.5*b', {a = a, b = b})",
         run = function() return ts.eval("a*b - 4.1*a > 2.5*b", { a = a, b = b }) end,
         check = function(r) return { r.dtype, tonum(r:get(1)), tonum(r:get(n // 3)), tonum(r:get(n)), r:sum() } end }
