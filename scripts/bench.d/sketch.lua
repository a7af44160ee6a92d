-- ts.sketch bulk operations on 1e7 int64 (issue 7): HyperLogLog++ add (target: 1e8 items/s or
-- more on 2 threads), Bloom filter add and query, KMV and count-min add. Each run builds a
-- fresh sketch, so the time includes its allocation. No Python peer: NumPy has no sketches.
-- Items per second = n / median.
local H = require "harness"
local S = ts.sketch
local n = H.size(10000000, 1000000)
local items = ts.arange(n)
local absent = ts.arange(n + 1, 2 * n)
local what = function(s) return s .. " of " .. H.fmt_n(n) .. " int64" end

H.case { name = "hll_add", what = what("HLL++ p=14 bulk add"), code = "ts.sketch.hll(14):add(a)",
         run = function() return S.hll(14):add(items) end,
         check = function(s) return { s:count() } end }

local bloom = S.bloom(n, 0.01):add(items)
H.case { name = "bloom_add", what = what("Bloom (capacity n, 1%) bulk add"),
         code = "ts.sketch.bloom(n, 0.01):add(a)",
         run = function() return S.bloom(n, 0.01):add(items) end,
         check = function(b) return { b:info().bits_set } end }
H.case { name = "bloom_query", what = what("Bloom membership query (absent items)"),
         code = "b:contains(a)", run = function() return bloom:contains(absent) end,
         check = function(r) return { "bool", r:sum() } end }

H.case { name = "kmv_add", what = what("KMV k=4096 bulk add"), code = "ts.sketch.kmv(4096):add(a)",
         run = function() return S.kmv(4096):add(items) end,
         check = function(s) return { s:count() } end }
H.case { name = "countmin_add", what = what("count-min 2719x5 bulk add (topk 0)"),
         code = "ts.sketch.countmin(2719, 5, 0):add(a)",
         run = function() return S.countmin(2719, 5, 0):add(items) end,
         check = function(s) return { s:count() } end }
