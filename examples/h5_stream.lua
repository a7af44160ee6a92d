-- Streaming statistics over an HDF5 file larger than a memory cap.
--   scripts/run examples/h5_stream.lua [FILE_MB [CAP_MB [DIR]]]   (default 600 MB, cap 150 MB)
-- Writes a dataset of FILE_MB, computes its mean, variance, min, max and a
-- histogram in one pass with ts.stats.online while holding one block (plus
-- the block read ahead) in memory, checks the answer against the in-memory
-- one on a smaller copy, and checks that the peak resident memory of the
-- process stayed under CAP_MB.
local file_mb = tonumber(arg and arg[1]) or 600
local cap_mb = tonumber(arg and arg[2]) or 150
local dir = arg and arg[3] or os.getenv("TMPDIR") or "/tmp"

local function peak_rss_mb()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmHWM:%s+(%d+) kB")
    if kb then return tonumber(kb) / 1024 end
  end
end

local COLS, ROWS = 512, 4096          -- one block: 4096 x 512 float64 = 16 MiB
local block_mb = ROWS * COLS * 8 / 2 ^ 20
local repeats = math.max(1, math.floor(file_mb / block_mb + 0.5))
local big = dir .. "/tessera_stream_big.h5"
local small = dir .. "/tessera_stream_small.h5"

-- The data: one block, written `repeats` times (so the whole file's statistics
-- equal the block's, and its histogram is `repeats` times the block's).
local block = (ts.arange(ROWS * COLS) % 7):astype("float64")
do
  local wave <close> = ts.arange(ROWS * COLS):astype("float64")
  wave:mul_(0.001):sin_():mul_(10)
  block:add_(wave)
end
block = block:reshape(ROWS, COLS)
collectgarbage()

local t0 = ts.now()
do
  local f <close> = ts.h5.open(big, "w")
  local d = f:create_dataset("x", {shape = {ROWS * repeats, COLS}})
  for k = 0, repeats - 1 do d:write(block, {{k * ROWS + 1, (k + 1) * ROWS}}) end
end
ts.h5.save(small, {x = block})  -- the smaller copy
block = nil
collectgarbage()
local t_write = ts.now() - t0

local BINS, LO, HI = 20, -10, 16
local t1 = ts.now()
local s = ts.stats.online{bins = BINS, range = {LO, HI}}
do
  local f <close> = ts.h5.open(big)
  for chunk in f.x:chunks{rows = ROWS} do
    local b <close> = chunk     -- frees the block's memory at the end of each iteration
    s:update(b)
  end
end
local t_stream = ts.now() - t1

-- The in-memory answer on the smaller copy.
local a = ts.h5.load(small).x
local counts = s:histogram()
local edges = select(2, s:histogram())
local function close(x, y) return math.abs(x - y) <= 1e-9 * math.max(1, math.abs(y)) end
local ok = close(s:mean(), a:mean()) and close(s:var(), a:var()) and s:min() == a:min()
           and s:max() == a:max() and s:count() == a.size * repeats
for i = 1, BINS do
  local lo, hi = edges:get(i), edges:get(i + 1)
  local inside = a:ge(lo) & (i == BINS and a:le(hi) or a:lt(hi))
  ok = ok and counts:get(i) == inside:sum() * repeats
end
local peak = peak_rss_mb()
os.remove(big)
os.remove(small)

print(("file %.0f MB (%d x %d float64), cap %d MB"):format(repeats * block_mb, ROWS * repeats, COLS, cap_mb))
print(("write %.2f s, stream %.2f s (%.0f MB/s)"):format(t_write, t_stream, repeats * block_mb / t_stream))
print(("mean %.6f  std %.6f  min %.6f  max %.6f"):format(s:mean(), s:std(), s:min(), s:max()))
print(("matches the in-memory answer on the smaller copy: %s"):format(ok))
print(("peak RSS %.0f MB"):format(peak))
assert(ok, "streamed statistics differ from the in-memory answer")
assert(peak < cap_mb, ("peak RSS %.0f MB is over the cap of %d MB"):format(peak, cap_mb))
