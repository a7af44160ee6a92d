-- The norm squared of a vector (High Performance Python, ch. 6): sum of squares of 1e6
-- float64 values by (v * v):sum(), ts.dot(v, v) and ts.norm(v)^2.
local H = require "harness"
local n = H.size(1000000, 100000)
local v = ts.arange(0, n - 1, "float64")
local what = "norm squared of " .. H.fmt_n(n) .. " float64"
local check = function(r) return { r } end
H.case { name = "norm_sq_mul_sum", what = what, code = "(v * v):sum()",
         run = function() return (v * v):sum() end, check = check }
H.case { name = "norm_sq_dot", what = what, code = "ts.dot(v, v)",
         run = function() return ts.dot(v, v) end, check = check }
H.case { name = "norm_sq_norm", what = what, code = "ts.norm(v)^2",
         run = function() return ts.norm(v) ^ 2 end, check = function(r) return { math.floor(r / 1e6 + 0.5) } end }
