-- A short tour of Tessera's arrays. Run: scripts/run examples/tour.lua
local ts = require "tessera"
local a = ts.arange(12):reshape(3, 4)   -- 1..12 as int64, reshaped: a view
print(a)
print(a[2])                             -- row 2, a view
print(a[{ {1, 2}, {-2, -1} }])          -- top-right 2x2 corner, a view
print(a:sum(), a:mean(), a:T():is_contiguous())
print(a:mean(2))                        -- along axis 2
print(a:masked((a % 3):eq(0)))          -- boolean mask selection
a[{ {}, 1 }] = 0                        -- write column 1 through a view
print(a:max(1), a:argmax())             -- per-column maxima; 1-based argmax
local x = ts.linspace(0, 1, 5, "float32")
print(ts.sin(x) ^ 2 + ts.cos(x) ^ 2)    -- float32 stays float32
print(pcall(function() return a + ts.ones(5) end))
