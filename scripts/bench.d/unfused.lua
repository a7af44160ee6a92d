-- 2*a + 3*b*c on 1e7 float64, evaluated operator by operator (temporaries included).
local H = require "harness"
local n = H.size(10000000, 1000000)
local a, b, c = ts.linspace(0, 1, n), ts.linspace(1, 2, n), ts.linspace(-1, 1, n)

H.case { name = "unfused", what = "2*a + 3*b*c, " .. H.fmt_n(n) .. " float64, new array",
         code = "2*a + 3*b*c", run = function() return 2 * a + 3 * b * c end,
         check = function(r) return { r.dtype, r:get(1), r:get(n // 3), r:get(n) } end }
