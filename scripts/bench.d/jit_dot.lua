-- ts.jit on sum(a*b), 1e7 float64: a final reduction with no temporary array, against the
-- BLAS dot product. The result equals (a*b):sum() bit for bit.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(-1, 2, n), ts.linspace(1, 2, n)
local f = ts.jit(function(x, y) return (x * y):sum() end)

H.case { name = "jit_dot", what = "sum(a*b), " .. H.fmt_n(n) .. " float64, fused (no a*b array)",
         code = "f = ts.jit(function(a, b) return (a*b):sum() end); f(a, b)",
         run = function() return f(a, b) end, check = function(r) return { r } end }
H.case { name = "jit_dot_eval", what = "the same through ts.eval", code = "ts.eval('sum(a*b)', {a = a, b = b})",
         run = function() return ts.eval("sum(a*b)", { a = a, b = b }) end, check = function(r) return { r } end }
