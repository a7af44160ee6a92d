-- The book's matrix add: two 1024x1024 float32 arrays, per op in a loop of 20.
local H = require "harness"
local n, k = 1024, 20
local a = ts.linspace(0, 1, n * n, "float32"):reshape(n, n)
local b = ts.linspace(1, 2, n * n, "float32"):reshape(n, n)
local c = ts.zeros({ n, n }, "float32")
local check = function(m) return { m.dtype, m:get(1, 1), m:get(2, 3), m:get(n, n) } end

H.case { name = "matrix_add", what = "a + b, 1024x1024 float32, new array, per op in a loop of " .. k,
         code = "a + b", inner = k, check = check,
         run = function() local r; for _ = 1, k do r = a + b end; return r end }
H.case { name = "matrix_add_out", what = "a + b, 1024x1024 float32, into out, per op in a loop of " .. k,
         code = "ts.add(a, b, c)", inner = k, check = check,
         run = function() for _ = 1, k do ts.add(a, b, c) end; return c end }
