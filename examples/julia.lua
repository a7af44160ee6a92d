-- The Julia set of High Performance Python (Gorelick & Ozsvald, chapter 2): 1000 x 1000 points
-- around the origin, c = -0.62772 - 0.42193i, at most 300 iterations of z = z*z + c each.
-- The counts are the book's, bit for bit (they sum to 33219980), computed vectorized on every
-- core; the picture goes to julia.png (or the path given).
-- Run: scripts/run examples/julia.lua [picture.png]
local ts = require "tessera"

-- The book's grid, built as the book builds it: running sums while x < x2 and y > y1.
local x1, x2, y1, y2 = -1.8, 1.8, -1.8, 1.8
local width, maxiter, c = 1000, 300, { -0.62772, -0.42193 }
local x_step, y_step = (x2 - x1) / width, (y1 - y2) / width
local xs, ys = {}, {}
local x, y = x1, y2
while x < x2 do xs[#xs + 1] = x; x = x + x_step end
while y > y1 do ys[#ys + 1] = y; y = y + y_step end

-- A row of x and a column of y broadcast to the 1000 x 1000 grid of points z = x + iy.
local re = ts.array(xs):reshape(1, #xs)
local im = ts.array(ys):reshape(#ys, 1)

local t0 = ts.now()
local counts = ts.kernels.julia(re, im, c, maxiter)
local ms = (ts.now() - t0) * 1000
print(("Julia set: %d x %d points, at most %d iterations: %.1f ms on %d thread%s (%s)"):format(
  #ys, #xs, maxiter, ms, ts.threads(), ts.threads() == 1 and "" or "s", ts.config().simd))
print(("sum of the counts: %d (the book's: 33219980)"):format(counts:sum()))

-- log(1 + count) through matplotlib's magma colormap brings out the bands around the set.
local path = arg and arg[1] or "julia.png"
ts.image.save(path, ts.log(counts + 1), { cmap = "magma" })
if path:sub(1, 1) ~= "/" then path = (os.getenv("PWD") or ".") .. "/" .. path end
print("picture: " .. path)
