-- Matrix product of two 2000x2000 matrices, float64 and float32 (OpenBLAS gemm on both sides).
local H = require "harness"
local n = H.size(2000, 500)
local a = ts.linspace(-1, 1, n * n):reshape(n, n)
local b = ts.cos(ts.linspace(0, 7, n * n)):reshape(n, n)
local a32, b32 = a:astype("float32"), b:astype("float32")
local check = function(c) return { c.dtype, c:get(1, 1), c:get(n // 2, n // 3), c:get(n, n) } end
local shape = ("%dx%d"):format(n, n)

H.case { name = "matmul", what = "matmul of two " .. shape .. " float64 matrices",
         code = "ts.matmul(a, b)", run = function() return ts.matmul(a, b) end, check = check }
H.case { name = "matmul_f32", what = "matmul of two " .. shape .. " float32 matrices",
         code = "ts.matmul(a, b)", run = function() return ts.matmul(a32, b32) end, check = check }

-- LAPACK on one thread (docs/linalg.md): a diagonally dominant system, so it is well conditioned.
local s = a + ts.eye(n) * n
local v = ts.cos(ts.linspace(0, 3, n))
H.case { name = "solve", what = "solve of a " .. shape .. " float64 system, one right-hand side",
         code = "ts.linalg.solve(s, v)", run = function() return ts.linalg.solve(s, v) end,
         check = function(x) return { x.dtype, x:get(1), x:get(n // 2), x:get(n) } end }
H.case { name = "inv", what = "inverse of a " .. shape .. " float64 matrix",
         code = "ts.linalg.inv(s)", run = function() return ts.linalg.inv(s) end, check = check }
