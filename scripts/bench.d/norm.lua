-- 2-norm of 1e7 float64.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a = ts.linspace(-1, 2, n)

H.case { name = "norm", what = "2-norm of " .. H.fmt_n(n) .. " float64", code = "ts.norm(a)",
         run = function() return ts.norm(a) end, check = function(r) return { r } end }
