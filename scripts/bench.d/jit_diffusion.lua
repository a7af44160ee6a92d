-- The diffusion update of Gorelick and Ozsvald's High Performance Python (the numexpr
-- version: evaluate("out*D*dt + grid", out=out)) on a 2500 x 4000 float64 grid, in place.
local H = require "harness"
local rows, cols = H.size(2500, 1000), H.size(4000, 1000)
local grid = ts.linspace(0, 1, rows * cols):reshape(rows, cols)
local out = ts.linspace(-1, 1, rows * cols):reshape(rows, cols)
local D, dt = 1.0, 0.1
local f = ts.jit(function(o, d, t, g) return o * d * t + g end)

H.case { name = "jit_diffusion", what = "out = out*D*dt + grid, " .. rows .. "x" .. cols .. " float64, in place",
         code = "f = ts.jit(function(o, D, dt, g) return o*D*dt + g end); f(out, D, dt, grid, {out = out})",
         run = function() return f(out, D, dt, grid, { out = out }) end,
         check = function(r) return { r.dtype, r:get(1, 1), r:get(rows // 2, cols // 3), r:get(rows, cols) } end }
