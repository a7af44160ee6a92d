-- ts.jit on 2*a + 3*b*c, 1e7 float64: one fused pass, into a new array and into an existing
-- one, and the same text through ts.eval; with the streaming triad c = a + 2.5*b into an
-- existing array fused the same way, the memory-bandwidth yardstick of this run (the
-- expression moves 4 arrays per element, the triad 3).
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b, c = ts.linspace(0, 1, n), ts.linspace(1, 2, n), ts.linspace(-1, 1, n)
local out = ts.zeros(n)
local check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end
local f = ts.jit(function(x, y, z) return 2 * x + 3 * y * z end)
local triad = ts.jit(function(x, y) return x + 2.5 * y end)

H.case { name = "jit_expr", what = "2*a + 3*b*c, " .. H.fmt_n(n) .. " float64, new array",
         code = "f = ts.jit(function(a, b, c) return 2*a + 3*b*c end); f(a, b, c)",
         run = function() return f(a, b, c) end, check = check }
H.case { name = "jit_expr_out", what = "2*a + 3*b*c, " .. H.fmt_n(n) .. " float64, into an existing array",
         code = "f(a, b, c, {out = r})", run = function() return f(a, b, c, { out = out }) end, check = check }
H.case { name = "jit_eval", what = "2*a + 3*b*c as a string, " .. H.fmt_n(n) .. " float64, new array",
         code = "ts.eval('2*a + 3*b*c', {a = a, b = b, c = c})",
         run = function() return ts.eval("2*a + 3*b*c", { a = a, b = b, c = c }) end, check = check }
H.case { name = "jit_triad", what = "c = a + 2.5*b, " .. H.fmt_n(n) .. " float64, into an existing array (STREAM triad, fused)",
         code = "t = ts.jit(function(a, b) return a + 2.5*b end); t(a, b, {out = c})",
         run = function() return triad(a, b, { out = out }) end, check = check }
