-- Diffusion as in High Performance Python (Gorelick & Ozsvald, chapter 6): a 2048 x 2048
-- periodic grid, zero except the block [0.4N, 0.5N) x [0.4N, 0.5N) = 0.005, advanced by the
-- explicit 5-point update grid + D*dt*laplacian(grid) with D = 1, dt = 0.1. The steps run in
-- native code (ts.kernels.diffuse: cache-blocked, no allocation per step, every core); the
-- final grid goes to diffusion.png (or the path given).
-- Run: scripts/run examples/diffusion.lua [picture.png]
local ts = require "tessera"

local N, steps, D, dt = 2048, 500, 1.0, 0.1
local grid = ts.zeros({ N, N })
local lo, hi = math.floor(N * 0.4), math.floor(N * 0.5)  -- the book's block_low:block_high
grid[{ { lo + 1, hi }, { lo + 1, hi } }] = 0.005

local t0 = ts.now()
local final = ts.kernels.diffuse(grid, steps, D, dt)
local seconds = ts.now() - t0
print(("diffusion: %d x %d grid, %d steps: %.3f s (%.2f ms a step) on %d threads (%s)"):format(
  N, N, steps, seconds, seconds * 1000 / steps, ts.threads(), ts.config().simd))

-- The periodic update conserves the total: the sum stays the block's up to rounding.
print(("sum before %.10g, after %.10g; largest value %.4g"):format(
  grid:sum(), final:sum(), final:max()))

-- One step by hand with ts.roll agrees with the kernel (same operations, same order).
local function laplacian(g)
  return (((g * -4 + ts.roll(g, 1, 1)) + ts.roll(g, -1, 1)) + ts.roll(g, 1, 2)) + ts.roll(g, -1, 2)
end
local small = final[{ { lo - 63, lo + 64 }, { lo - 63, lo + 64 } }]:copy()
local by_hand = laplacian(small) * (D * dt) + small
print("one step with ts.roll == ts.kernels.diffuse_step: " ..
  tostring((by_hand - ts.kernels.diffuse_step(small, D, dt)):abs():max() == 0))

local path = arg and arg[1] or "diffusion.png"
if ts.image and ts.image.save then
  ts.image.save(path, final, { cmap = "inferno" })
  if path:sub(1, 1) ~= "/" then path = (os.getenv("PWD") or ".") .. "/" .. path end
  print("picture: " .. path)
else
  print("no picture: this build has no ts.image")
end
