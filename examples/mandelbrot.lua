-- The Mandelbrot set on a 1500 x 1000 grid, at most 500 iterations per point, vectorized on
-- every core; the picture goes to mandelbrot.png (or the path given).
-- Run: scripts/run examples/mandelbrot.lua [picture.png]
local ts = require "tessera"

local grid = { width = 1500, height = 1000, xmin = -2.25, xmax = 0.75, ymin = -1, ymax = 1,
               maxiter = 500 }
local t0 = ts.now()
local counts = ts.kernels.mandelbrot(grid)
print(("Mandelbrot set: %d x %d points, at most %d iterations: %.1f ms on %d thread%s"):format(
  grid.height, grid.width, grid.maxiter, (ts.now() - t0) * 1000, ts.threads(),
  ts.threads() == 1 and "" or "s"))
print(("points that never escaped: %d"):format(counts:eq(grid.maxiter):sum()))

local path = arg and arg[1] or "mandelbrot.png"
ts.image.save(path, ts.log(counts), { cmap = "inferno" })
if path:sub(1, 1) ~= "/" then path = (os.getenv("PWD") or ".") .. "/" .. path end
print("picture: " .. path)
