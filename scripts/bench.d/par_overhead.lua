-- ts.par.map's cost per task: an empty function over 1..n with the default chunking and
-- with one item per chunk (time per item).
local H = require "harness"
local n = H.size(1000000, 100000)
ts.par.workers()  -- start the workers outside the timing
H.case { name = "par_overhead", what = "ts.par.map of an empty function, per item, " .. H.fmt_n(n) .. " items",
         code = "ts.par.map(function() end, n)", inner = n,
         run = function() return #ts.par.map(function() end, n) end }
H.case { name = "par_overhead_chunk1", what = "the same with chunksize = 1, per item",
         code = "ts.par.map(function() end, n, {chunksize = 1})", inner = n,
         run = function() return #ts.par.map(function() end, n, { chunksize = 1 }) end }
