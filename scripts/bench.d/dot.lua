-- Dot product of two 1e7 float64 vectors.
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b = ts.linspace(-1, 2, n), ts.linspace(1, 2, n)

H.case { name = "dot", what = "dot of two " .. H.fmt_n(n) .. " float64 vectors", code = "ts.dot(a, b)",
         run = function() return ts.dot(a, b) end, check = function(r) return { r } end }
