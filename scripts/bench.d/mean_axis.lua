-- Mean along each axis of a 2000x5000 float64 array (Lua axes are 1-based).
local H = require "harness"
local r, c = H.size(2000, 500), H.size(5000, 2000)
local a = ts.linspace(0, 1, r * c):reshape(r, c)
local check = function(m) return { m.dtype, m:get(1), m:get(m.size // 2), m:get(m.size) } end
local shape = ("%dx%d float64"):format(r, c)

H.case { name = "mean_axis1", what = "mean along the first axis (down the columns) of " .. shape,
         code = "a:mean(1)", run = function() return a:mean(1) end, check = check }
H.case { name = "mean_axis2", what = "mean along the last axis (along the rows) of " .. shape,
         code = "a:mean(2)", run = function() return a:mean(2) end, check = check }
