-- Adds of non-contiguous views of 2000x5000 float64 arrays, beside the contiguous add.
local H = require "harness"
local r, c = H.size(2000, 500), H.size(5000, 2000)
local a = ts.linspace(0, 1, r * c):reshape(r, c)
local b = ts.linspace(1, 2, r * c):reshape(r, c)
local bt = ts.linspace(1, 2, r * c):reshape(c, r) -- b's shape transposed, contiguous
local shape = ("%dx%d float64"):format(r, c)
local check = function(m)
  local s = m.shape
  return { m.dtype, m:get(1, 1), m:get(2, 3), m:get(s[1], s[2]) }
end

H.case { name = "contiguous_add", what = "a + b, " .. shape .. ", the reference for the rows below",
         code = "a + b", run = function() return a + b end, check = check }
H.case { name = "transposed_add", what = "a:T() + b:T(), " .. shape .. " (both operands transposed)",
         code = "a:T() + b:T()", run = function() return a:T() + b:T() end, check = check }
H.case { name = "mixed_transposed_add", what = "a + bt:T(), " .. shape .. ", one operand transposed",
         code = "a + bt:T()", run = function() return a + bt:T() end, check = check }
H.case { name = "strided_rows_add", what = "every other row of " .. shape,
         code = "a:slice({1,-1,2}) + b:slice({1,-1,2})",
         run = function() return a:slice({ 1, -1, 2 }) + b:slice({ 1, -1, 2 }) end, check = check }
H.case { name = "strided_cols_add", what = "every other column of " .. shape .. " (inner stride 2)",
         code = "a:slice({}, {1,-1,2}) + b:slice({}, {1,-1,2})",
         run = function() return a:slice({}, { 1, -1, 2 }) + b:slice({}, { 1, -1, 2 }) end, check = check }
