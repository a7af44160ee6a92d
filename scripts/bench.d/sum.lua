-- Sum of 1e7 float64.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a = ts.linspace(0, 1, n)

H.case { name = "sum", what = "sum of " .. H.fmt_n(n) .. " float64", code = "ts.sum(a)",
         run = function() return ts.sum(a) end, check = function(r) return { r } end }
