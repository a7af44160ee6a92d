-- ts.random: Philox4x32-10 generators. Known answers, reproducibility at any
-- thread count, and distribution statistics (moments, chi-square over bins)
-- with fixed seeds, so that no test can flake.
local ts = require "tessera"
local h = require "helpers"

-- Pearson's chi-square statistic for observed counts against expected ones.
local function chi2(observed, expected)
  local s = 0
  for i = 1, #observed do s = s + (observed[i] - expected[i]) ^ 2 / expected[i] end
  return s
end

-- Counts of integer values lo..hi in array a (hi collects everything above).
local function counts(a, lo, hi)
  local out = {}
  for k = lo, hi - 1 do out[#out + 1] = a:eq(k):sum() end
  out[#out + 1] = a:ge(hi):sum()
  return out
end

-- Chi-square critical values at p = 1e-4 (df 1..12): a correct generator with
-- a fixed seed passes deterministically, a biased one fails.
local crit = { 15.14, 18.42, 21.11, 23.51, 25.74, 27.86, 29.88, 31.83, 33.72, 35.56, 37.35, 39.13 }

local function same(a, b) return a.dtype == b.dtype and a.size == b.size and a:eq(b):all() end

describe("ts.random generators", function()
  it("match Random123's known answers", function()
    -- philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8
    local w = ts.random.new(0):raw(4)
    assert.are.same({ 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }, w:totable())
    -- ffffffff... keys: the key is the seed's two's complement (-1); block 0 of stream 0
    local g = ts.random.new(-1)
    assert.are.equal(4, g:raw(4).size)
  end)

  it("are reproducible and differ across seeds and streams", function()
    local a = ts.random.new(42):uniform(1000)
    local b = ts.random.new(42):uniform(1000)
    assert.is_true(same(a, b))
    assert.is_false(same(a, ts.random.new(43):uniform(1000)))
    assert.is_false(same(a, ts.random.new(42, 1):uniform(1000)))
  end)

  it("give identical arrays at 1 and 2 threads, for every distribution", function()
    local saved = ts.threads()
    local function draw()
      local g = ts.random.new(7, 3)
      return { g:uniform(200001), g:uniform(200001, "float32"), g:integers(-5, 5, 200001),
               g:normal(200001), g:exponential(2, 200001), g:poisson(3.5, 200001),
               g:poisson(250, 20001), g:binomial(40, 0.2, 20001), g:binomial(5000, 0.6, 20001),
               g:permutation(100001), g:choice(10, 200001), g:state() }
    end
    ts.threads(1)
    local one = draw()
    ts.threads(2)
    local two = draw()
    ts.threads(saved)
    for i = 1, #one - 1 do assert.is_true(same(one[i], two[i]), "distribution " .. i) end
    assert.are.equal(one[#one], two[#two])
  end)

  it("take whole blocks: the position moves by ceil(n / values per block)", function()
    local g = ts.random.new(1)
    g:uniform(5)          -- 2 float64 per block -> 3 blocks
    g:uniform(5, "float32") -- 4 per block -> 2 blocks
    g:integers(1, 6, 9)   -- 4 per block -> 3 blocks
    g:poisson(2, 3)       -- 1 per block -> 3 blocks
    assert.truthy(g:state():find("position=000000000000000b", 1, true))
  end)

  it("scalars draw one block each", function()
    local g = ts.random.new(5)
    local x = g:uniform()
    assert.are.equal("number", math.type(x) and "number")
    assert.are.equal(ts.random.new(5):uniform(2):get(1), x)
    assert.is_true(math.type(g:integers(1, 6)) == "integer")
  end)

  it("save and restore their state", function()
    local g = ts.random.new(11)
    g:normal(10)
    local s = g:state()
    local x = g:uniform(100)
    local r = ts.random.from_state(s)
    assert.is_true(same(x, r:uniform(100)))
    assert.are.equal(g:state(), r:state())
    assert.are.equal(g, r)
    h.errors(function() ts.random.from_state("philox") end, "not a generator state")
  end)

  it("spawn distinct, reproducible children", function()
    local kids = ts.random.new(3):spawn(4)
    assert.are.equal(4, #kids)
    local draws = {}
    for i = 1, 4 do draws[i] = kids[i]:uniform(100) end
    for i = 1, 4 do
      for j = i + 1, 4 do assert.is_false(same(draws[i], draws[j])) end
    end
    assert.is_true(same(draws[2], ts.random.new(3):spawn(4)[2]:uniform(100)))
    local g = ts.random.new(3)
    g:spawn(1)
    assert.is_false(same(draws[1], g:spawn(1)[1]:uniform(100)))  -- spawning again: new children
  end)

  it("fill arrays in place, through views", function()
    local a = ts.zeros(4, 6)
    local col = a[{ {}, 2 }]
    ts.random.new(1):uniform(col)
    assert.is_true(a[{ {}, 2 }]:gt(0):all())
    assert.are.equal(0, a[{ {}, 1 }]:sum())
    local i32 = ts.zeros(1000, "int32")
    ts.random.new(1):integers(-3, 3, i32)
    assert.are.equal("int32", i32.dtype)
    assert.is_true(i32:ge(-3):all() and i32:le(3):all())
  end)

  it("check their arguments", function()
    local g = ts.random.new(1)
    h.errors(function() g:integers(5, 1, 3) end, "empty range")
    h.errors(function() g:uniform(3, "int64") end, "float32 or float64")
    h.errors(function() g:integers(0, 300, 3, "uint8") end, "out of range for uint8")
    h.errors(function() g:poisson(-1, 3) end, "lam")
    h.errors(function() g:binomial(10, 1.5, 3) end, "p must be")
    h.errors(function() g:choice(3, 5, { replace = false }) end, "without replacement")
    h.errors(function() ts.random.new(1.5) end, "seed")
    h.errors(function() g.uniform(5) end, "expected a generator")
  end)
end)

describe("ts.random distributions", function()
  local n = 200000

  it("uniform: range, moments, and flat bins (float64 and float32)", function()
    for _, dt in ipairs { "float64", "float32" } do
      local g = ts.random.new(100)
      local a = g:uniform(-2, 3, n, dt)
      assert.are.equal(dt, a.dtype)
      assert.is_true(a:min() >= -2 and a:max() < 3)
      assert.is_true(math.abs(a:mean() - 0.5) < 5 * 5 / math.sqrt(12 * n))
      assert.is_true(math.abs(a:var() - 25 / 12) < 0.05)
      local obs, exp = {}, {}
      for k = 0, 9 do
        obs[k + 1] = a:ge(-2 + k * 0.5):sum() - a:ge(-2 + (k + 1) * 0.5):sum()
        exp[k + 1] = n / 10
      end
      assert.is_true(chi2(obs, exp) < crit[9], dt)
    end
  end)

  it("integers: inclusive bounds, no modulo bias", function()
    local g = ts.random.new(101)
    local a = g:integers(1, 6, 60000)
    assert.are.equal(1, a:min())
    assert.are.equal(6, a:max())
    local c = counts(a, 1, 6)
    assert.is_true(chi2(c, { 1e4, 1e4, 1e4, 1e4, 1e4, 1e4 }) < crit[5])
    -- a range of 3 * 2^30 values: a modulo would favour the lowest third twice over
    local b = g:integers(0, 3 * 2 ^ 30 - 1 | 0, n)
    local third = 2 ^ 30
    local o = { b:lt(third):sum(), b:ge(third):sum() - b:ge(2 * third):sum(), b:ge(2 * third):sum() }
    assert.is_true(chi2(o, { n / 3, n / 3, n / 3 }) < crit[2])
    -- full 64-bit range
    local w = g:integers(math.mininteger, math.maxinteger, 10000)
    local neg = w:lt(0):sum()
    assert.is_true(neg > 4600 and neg < 5400)
    assert.are.equal(3, ts.random.new(1):integers(3, 3))
  end)

  it("normal: moments and bins", function()
    local a = ts.random.new(102):normal(1, 2, n)
    assert.is_true(math.abs(a:mean() - 1) < 5 * 2 / math.sqrt(n))
    assert.is_true(math.abs(a:std() - 2) < 0.02)
    local z = (a - 1) / 2
    -- Phi(-1), Phi(-0.5), Phi(0), ...: bins (-inf,-1), [-1,-0.5), [-0.5,0), [0,0.5), [0.5,1), [1,inf)
    local p = { 0.15865525393145707, 0.14988228479452981, 0.19146246127401312 }
    p[4], p[5], p[6] = p[3], p[2], p[1]
    local cuts = { -1, -0.5, 0, 0.5, 1 }
    local obs, prev = {}, 0
    for i, c in ipairs(cuts) do
      local below = z:lt(c):sum()
      obs[i] = below - prev
      prev = below
    end
    obs[6] = n - prev
    local exp = {}
    for i = 1, 6 do exp[i] = p[i] * n end
    assert.is_true(chi2(obs, exp) < crit[5])
    assert.are.equal("float32", ts.random.new(1):normal(10, "float32").dtype)
  end)

  it("exponential: moments and bins", function()
    local a = ts.random.new(103):exponential(2, n)
    assert.is_true(a:min() >= 0)
    assert.is_true(math.abs(a:mean() - 2) < 5 * 2 / math.sqrt(n))
    assert.is_true(math.abs(a:var() - 4) < 0.15)
    local obs, exp, prev, pc = {}, {}, 0, 0
    for i, c in ipairs { 0.5, 1, 2, 4 } do
      local below = a:lt(c):sum()
      obs[i] = below - prev
      prev = below
      exp[i] = n * (math.exp(-pc / 2) - math.exp(-c / 2))
      pc = c
    end
    obs[5] = n - prev
    exp[5] = n * math.exp(-2)
    assert.is_true(chi2(obs, exp) < crit[4])
  end)

  local function poisson_pmf(lam, k)
    local p = math.exp(-lam)
    for i = 1, k do p = p * lam / i end
    return p
  end

  it("poisson: small lam (inversion) and large lam (PTRS)", function()
    local g = ts.random.new(104)
    local a = g:poisson(3.5, n)
    assert.is_true(math.abs(a:mean() - 3.5) < 5 * math.sqrt(3.5 / n))
    assert.is_true(math.abs(a:var() - 3.5) < 0.1)
    local obs = counts(a, 0, 9)
    local exp, cum = {}, 0
    for k = 0, 8 do
      exp[k + 1] = n * poisson_pmf(3.5, k)
      cum = cum + exp[k + 1]
    end
    exp[10] = n - cum
    assert.is_true(chi2(obs, exp) < crit[9])
    local b = g:poisson(400, n)
    assert.is_true(math.abs(b:mean() - 400) < 5 * math.sqrt(400 / n))
    assert.is_true(math.abs(b:var() / 400 - 1) < 0.03)
    assert.are.equal(0, g:poisson(0, 10):max())
  end)

  it("binomial: inversion, BTRS, and p above one half", function()
    local g = ts.random.new(105)
    for _, case in ipairs { { 20, 0.3 }, { 1000, 0.4 }, { 1000, 0.85 }, { 50, 0.9 } } do
      local m, p = case[1], case[2]
      local a = g:binomial(m, p, n)
      local mean, var = m * p, m * p * (1 - p)
      assert.is_true(a:min() >= 0 and a:max() <= m)
      assert.is_true(math.abs(a:mean() - mean) < 5 * math.sqrt(var / n), "mean " .. m .. "," .. p)
      assert.is_true(math.abs(a:var() / var - 1) < 0.03, "var " .. m .. "," .. p)
    end
    -- exact bins for binomial(10, 0.5)
    local a = g:binomial(10, 0.5, n)
    local obs = counts(a, 0, 10)
    local exp, c = {}, 1
    for k = 0, 10 do
      exp[k + 1] = n * c / 1024
      c = c * (10 - k) / (k + 1)
    end
    -- merge the sparse tails into their neighbours
    obs = { obs[1] + obs[2], obs[3], obs[4], obs[5], obs[6], obs[7], obs[8], obs[9], obs[10] + obs[11] }
    exp = { exp[1] + exp[2], exp[3], exp[4], exp[5], exp[6], exp[7], exp[8], exp[9], exp[10] + exp[11] }
    assert.is_true(chi2(obs, exp) < crit[8])
    assert.are.equal(7, g:binomial(7, 1))
    assert.are.equal(0, g:binomial(7, 0))
  end)

  it("choice: uniform, weighted, without replacement, from arrays", function()
    local g = ts.random.new(106)
    local a = g:choice(5, n)
    assert.is_true(chi2(counts(a, 1, 5), { n / 5, n / 5, n / 5, n / 5, n / 5 }) < crit[4])
    local w = g:choice(4, n, { p = { 0.1, 0.2, 0.3, 0.4 } })
    assert.is_true(chi2(counts(w, 1, 4), { 0.1 * n, 0.2 * n, 0.3 * n, 0.4 * n }) < crit[3])
    local z = g:choice(3, 1000, { p = ts.array { 0, 1, 1 } })
    assert.are.equal(0, z:eq(1):sum())
    local u = g:choice(100, 100, { replace = false })
    local t = u:totable()
    table.sort(t)
    assert.are.same(ts.arange(100):totable(), t)
    local uw = g:choice(10, 5, { replace = false, p = { 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 } })
    local seen = {}
    for _, v in ipairs(uw:totable()) do
      assert.is_nil(seen[v])
      seen[v] = true
      assert.is_true(v <= 5 or v == 10)
    end
    local src = ts.array { 10.5, 20.5, 30.5 }
    local picks = g:choice(src, 50)
    assert.are.equal("float64", picks.dtype)
    assert.is_true(picks:ge(10.5):all() and picks:le(30.5):all())
    local one = g:choice(src)
    assert.is_true(one == 10.5 or one == 20.5 or one == 30.5)
  end)

  it("permutation and shuffle: every order of three equally likely", function()
    local g = ts.random.new(107)
    local seen = {}
    local trials = 30000
    for _ = 1, trials do
      local p = g:permutation(3)
      local key = p:get(1) * 100 + p:get(2) * 10 + p:get(3)
      seen[key] = (seen[key] or 0) + 1
    end
    local obs = {}
    for _, key in ipairs { 123, 132, 213, 231, 312, 321 } do obs[#obs + 1] = seen[key] or 0 end
    assert.is_true(chi2(obs, { 5000, 5000, 5000, 5000, 5000, 5000 }) < crit[5])
    local big = g:permutation(100000)
    assert.are.equal(100000 * 100001 // 2, big:sum())
    assert.are.equal(1, big:min())
    -- shuffle keeps rows whole
    local m = h.grid(5, 3)
    g:shuffle(m)
    for i = 1, 5 do
      local r = m:get(i, 1) // 10
      assert.are.same({ 10 * r + 1, 10 * r + 2, 10 * r + 3 }, m[i]:totable())
    end
    local v = ts.arange(1000)
    local copy = g:permutation(v)
    assert.are.equal(v:sum(), copy:sum())
    assert.is_false(v:eq(copy):all())
  end)

  it("the default generator is ts.random.seed's", function()
    ts.random.seed(5)
    local x = ts.random.uniform(10)
    assert.is_true(same(x, ts.random.new(5):uniform(10)))
    ts.random.seed(5)
    assert.are.equal(ts.random.new(5):integers(1, 100), ts.random.integers(1, 100))
    assert.is_function(ts.random.normal)
    assert.truthy(ts.help_text(ts.random.uniform):find("default generator", 1, true))
    assert.truthy(ts.help_text("random.normal"):find("ts.random.normal", 1, true))
    assert.truthy(ts.help_text("random.new"):find("Philox4x32-10", 1, true))
    assert.truthy(ts.help_text("par.map"):find("chunksize", 1, true))
  end)
end)
