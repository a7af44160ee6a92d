-- Monte Carlo pi from 1e8 points: vectorized (chunks of float32 uniforms from one Philox
-- generator) and through ts.par.map (16 tasks, each with a spawned child generator). The
-- estimates are the same bit for bit at any thread count.
local H = require "harness"
local n = H.size(100000000, 10000000)
-- Points inside the quarter circle among m points drawn from rng, chunk by chunk: large
-- chunks when the kernels themselves run on every thread, small (cache-sized) ones inside
-- par.map tasks, where the tasks are the parallelism.
local function inside(rng, m, chunk)
  local x, y = ts.empty(math.min(chunk, m), "float32"), ts.empty(math.min(chunk, m), "float32")
  local count, done = 0, 0
  while done < m do
    local k = math.min(chunk, m - done)
    if k < x.size then x, y = ts.empty(k, "float32"), ts.empty(k, "float32") end
    rng:uniform(x)
    rng:uniform(y)
    x:mul_(x)
    y:mul_(y)
    count = count + x:add_(y):le(1):sum()
    done = done + k
  end
  return count
end

local tasks = 16
local function par_pi()
  local kids = ts.random.new(42):spawn(tasks)
  local per = n // tasks
  local counts = ts.par.map(function(g) return inside(g, per, 1 << 14) end, kids, { chunksize = 1 })
  local total = 0
  for i = 1, tasks do total = total + counts[i] end
  return 4 * total / (per * tasks)
end

ts.par.workers()  -- start the workers outside the timing
local check = function(p) return { math.floor(p * 100 + 0.5) / 100 } end
H.case { name = "pi_vectorized", what = "Monte Carlo pi, " .. H.fmt_n(n) .. " points",
         code = "rng:uniform(x); rng:uniform(y); (x*x + y*y):le(1):sum() in chunks",
         run = function() return 4 * inside(ts.random.new(42), n, 1 << 18) / n end, check = check }
H.case { name = "pi_par_map", what = "Monte Carlo pi, " .. H.fmt_n(n) .. " points, " .. tasks .. " tasks",
         code = "ts.par.map(count_inside, rng:spawn(16))", run = par_pi, check = check }
H.case { name = "pi_fused", what = "Monte Carlo pi, " .. H.fmt_n(n) .. " points, fused kernel",
         code = "ts.kernels.pi(n, {seed = 42})",
         run = function() return (ts.kernels.pi(n, { seed = 42 })) end, check = check }
