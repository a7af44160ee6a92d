-- Counting the distinct words of a 1e7-token corpus in a few kilobytes.
-- Run: scripts/run examples/sketches.lua
--
-- The corpus is generated deterministically: token i is a word drawn from a
-- Zipf-like (log-uniform) law over a vocabulary of 5e6 numbered words, so a
-- few words are very common and about 1.9e6 distinct words occur. The exact
-- answer comes from a Lua set; HyperLogLog, K-minimum-values and a Bloom
-- filter estimate it from the token array in native, parallel bulk adds, and
-- a count-min sketch names the most frequent words.
local ts = require "tessera"
local S = ts.sketch

local N, V = 10000000, 5000000

-- A pronounceable word for a word number (for display only).
local syllables = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de", "po", "an", "el",
                   "ir", "ob", "us", "ya"}
local function word(id)
  local parts = {}
  repeat
    parts[#parts + 1] = syllables[id % 16 + 1]
    id = id // 16
  until id == 0
  return table.concat(parts)
end

-- Token i: u = frac(i * golden ratio) in [0, 1) from 53 bits of a wrapping
-- 64-bit product, then word = floor(V ^ u).
local t0 = ts.now()
local i = ts.arange(N)
local bits = ((i * -7046029254386353131) >> 11) & ((1 << 53) - 1)
local u = bits:astype("float64") / 2.0 ^ 53
local tokens = ts.floor(ts.exp(u * math.log(V))):astype("int64")
i, bits, u = nil, nil, nil
collectgarbage()
print(("corpus: %d tokens over a vocabulary of %d words, generated in %.2f s"):format(
  N, V, ts.now() - t0))

-- The exact set, in Lua, a chunk of tokens at a time.
collectgarbage(); collectgarbage()
local lua_before = collectgarbage("count") * 1024
t0 = ts.now()
local seen, distinct = {}, 0
local chunk = 100000
for s = 1, N, chunk do
  local part = tokens[{ {s, math.min(N, s + chunk - 1)} }]:totable()
  for k = 1, #part do
    local w = part[k]
    if not seen[w] then seen[w] = true; distinct = distinct + 1 end
  end
end
local exact_time = ts.now() - t0
collectgarbage(); collectgarbage()
local exact_bytes = collectgarbage("count") * 1024 - lua_before

local rows = {}
local function report(name, bytes, seconds, estimate)
  rows[#rows + 1] = {name, bytes, seconds, estimate}
end
report("exact Lua set", exact_bytes, exact_time, distinct)

local function timed(sketch)
  local start = ts.now()
  sketch:add(tokens)
  return sketch, ts.now() - start
end

local hll, hll_time = timed(S.hll(14))
report("HyperLogLog++ p=14", hll:bytes(), hll_time, hll:count())
local kmv, kmv_time = timed(S.kmv(4096))
report("KMV k=4096", kmv:bytes(), kmv_time, kmv:count())
local bloom, bloom_time = timed(S.bloom(2e6, 0.01))
report("Bloom 2e6 @ 1%", bloom:bytes(), bloom_time, bloom:count())

print(("\n%-20s %12s %10s %12s %9s"):format("method", "memory", "time (s)", "distinct", "error"))
for _, r in ipairs(rows) do
  local mem = r[2] >= 2 ^ 20 and ("%.1f MiB"):format(r[2] / 2 ^ 20) or ("%.1f KiB"):format(r[2] / 1024)
  print(("%-20s %12s %10.3f %12.0f %8.2f%%"):format(r[1], mem, r[3], r[4],
        100 * (r[4] - distinct) / distinct))
end
print(("\nHLL's standard error at p=14 is %.2f%%, KMV's %.2f%%."):format(
  100 * 1.04 / 128, 100 / math.sqrt(4094)))

-- Membership: words never in the corpus that the Bloom filter claims anyway.
local absent = ts.arange(V + 1, V + 1000000)
print(("Bloom false positives on 1e6 absent words: %.3f%% (target 1%% at capacity)"):format(
  100 * bloom:contains(absent):sum() / 1e6))

-- The most frequent words, from a count-min sketch.
local cm = S.countmin { epsilon = 1e-4, delta = 0.001, topk = 5 }
local cm_time = select(2, timed(cm))
print(("\nMost frequent words (count-min, %.1f MiB, %.3f s; counts never below the truth):"):format(
  cm:bytes() / 2 ^ 20, cm_time))
for _, e in ipairs(cm:heavy_hitters()) do
  print(("  %-12s %9d"):format(word(e.item), e.count))
end
