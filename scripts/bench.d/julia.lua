-- High Performance Python's Julia set (chapter 2): the book's 1000 x 1000 grid (running sums,
-- as calc_pure_python builds it), c = -0.62772 - 0.42193i, at most 300 iterations; the counts
-- sum to 33219980. Peers: the NumPy version with masks, Numba @njit serial and prange.
local H = require "harness"
local width = H.size(1000, 300)
local maxiter = 300
local c = { -0.62772, -0.42193 }
local xs, ys = ts.kernels.grid { width = width, xmin = -1.8, xmax = 1.8, ymin = -1.8, ymax = 1.8,
                                 accumulate = true }
local re, im = xs:reshape(1, width), ys:reshape(width, 1)

H.case { name = "julia", what = width .. "x" .. width .. " points, maxiter " .. maxiter .. ", float64",
         code = "ts.kernels.julia(xs:reshape(1, w), ys:reshape(h, 1), c, 300)",
         run = function() return ts.kernels.julia(re, im, c, maxiter) end,
         check = function(r) return { r:sum(), r:get(1, 1), r:get(width // 2, width // 2) } end }
