-- Diffusion on N x N float64 grids for 100 steps (High Performance Python, ch. 6: periodic
-- 5-point Laplacian, D = 1, dt = 0.1, the block [0.4N, 0.5N) set to 0.005), with
-- ts.kernels.diffuse: every step in native code into two preallocated buffers.
local H = require "harness"
local steps, D, dt = 100, 1.0, 0.1

local function initial(n)
  local grid = ts.zeros({ n, n })
  local lo, hi = math.floor(n * 0.4), math.floor(n * 0.5)  -- Python's block_low:block_high
  grid[{ { lo + 1, hi }, { lo + 1, hi } }] = 0.005
  return grid
end

for _, n in ipairs { H.size(512, 128), H.size(2048, 256) } do
  local grid = initial(n)
  local out = ts.zeros({ n, n })
  H.case { name = "diffusion_" .. n, what = n .. "x" .. n .. " float64, " .. steps .. " steps",
           code = "ts.kernels.diffuse(grid, 100, D, dt, {out = out})",
           run = function() return ts.kernels.diffuse(grid, steps, D, dt, { out = out }) end,
           check = function(r)
             return { r.dtype, r:sum(), r:get(n // 2, n // 2), r:get(math.floor(n * 0.4), n // 3) }
           end }
end
