-- ts.kernels.pi: the fused Monte Carlo count against the same Philox words
-- read with rng:raw and counted in Lua, its layout (chunks of a draw add up),
-- thread-count independence, and the estimate's accuracy.
local ts = require "tessera"
local h = require "helpers"

-- Points inside the quarter circle among the first n of a draw, from the raw
-- words (two 31-bit coordinates per point, four words per block).
local function lua_hits(seed, n)
  local w = ts.random.new(seed):raw((n + 1) // 2 * 4):totable()
  local hits = 0
  for p = 0, n - 1 do
    local x, y = w[2 * p + 1] >> 1, w[2 * p + 2] >> 1
    if x * x + y * y < (1 << 62) then hits = hits + 1 end
  end
  return hits
end

local with_threads = h.with_threads

describe("ts.kernels.pi", function()
  it("counts the generator's points like Lua does", function()
    for _, n in ipairs { 1, 2, 7, 1000, 5001 } do
      local est, hits = ts.kernels.pi(n, { seed = 11 })
      assert.are.equal(lua_hits(11, n), hits)
      assert.are.equal(4 * hits / n, est)
    end
  end)

  it("advances a given generator by one block per two points", function()
    local g = ts.random.new(3)
    local _, a = ts.kernels.pi(1000, { rng = g })
    local _, b = ts.kernels.pi(1000, { rng = g })
    local _, both = ts.kernels.pi(2000, { seed = 3 })
    assert.are.equal(both, a + b)
    local function position(gen) return tonumber(gen:state():match("position=(%x+)"), 16) end
    assert.are.equal(1000, position(g))
    ts.kernels.pi(3, { rng = g })
    assert.are.equal(1002, position(g))
  end)

  it("is the same at 1 and 2 threads", function()
    local e1, h1 = with_threads(1, function() return ts.kernels.pi(3000001, { seed = 42 }) end)
    local e2, h2 = with_threads(2, function() return ts.kernels.pi(3000001, { seed = 42 }) end)
    assert.are.equal(h1, h2)
    assert.are.equal(e1, e2)
  end)

  it("estimates pi within 4 sigma from 1e7 points", function()
    local n = 10000000
    local p = math.pi / 4
    local sigma = 4 * math.sqrt(p * (1 - p) / n)
    for _, seed in ipairs { 1, 2, 3 } do
      local est = ts.kernels.pi(n, { seed = seed })
      assert(math.abs(est - math.pi) < 4 * sigma, ("seed %d: %.6f"):format(seed, est))
    end
    local a = ts.kernels.pi(1000)  -- fresh entropy: just a valid estimate
    assert(a >= 0 and a <= 4)
  end)

  it("raises on bad arguments", function()
    h.errors(function() ts.kernels.pi(0) end, "kernels.pi: expected at least 1 point")
    h.errors(function() ts.kernels.pi(1.5) end, "expected an integer number of points")
    h.errors(function() ts.kernels.pi(10, 5) end, "expected an options table")
    h.errors(function() ts.kernels.pi(10, { rng = 5 }) end, "expected a generator for rng")
    h.errors(function() ts.kernels.pi(10, { rng = ts.random.new(1), seed = 2 }) end, "not both")
  end)
end)
