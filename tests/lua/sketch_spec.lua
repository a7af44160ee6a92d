-- ts.sketch: the error bounds of issue 7 checked on synthetic streams of
-- known cardinality (1e5, 1e6 and 1e7 distinct items, with duplicates),
-- merge == union, serialization round trips, thread-count independence,
-- items of every kind, documentation and error paths. Hashing is fixed, so
-- every statistical check is deterministic: a pass is a pass on any machine.
local ts = require "tessera"
local h = require "helpers"
local S = ts.sketch

local SIZES = {1e5, 1e6, 1e7}

-- Distinct items first .. first + n - 1, each seen once, with the first
-- half seen a second time (in another order) and every tenth a third time.
local function add_stream(sk, n, first)
  first = first or 1
  local last = first + math.tointeger(n) - 1
  local half = first + math.tointeger(n) // 2 - 1
  do local a <close> = ts.arange(first, last); sk:add(a) end
  do local a <close> = ts.arange(half, first, -1); sk:add(a) end
  do local a <close> = ts.arange(first, last, 10); sk:add(a) end
  return sk
end

local function within(actual, expected, tolerance, what)
  local err = math.abs(actual - expected)
  assert(err <= tolerance, ("%s: %s is %.4g away from %s (allowed %.4g)")
    :format(what, tostring(actual), err, tostring(expected), tolerance))
end

describe("sketch hash", function()
  it("treats 3 and 3.0 as one item, and arrays as their elements", function()
    local a1, a2 = S.hash(3)
    local b1, b2 = S.hash(3.0)
    assert.are.equal(a1, b1); assert.are.equal(a2, b2)
    assert.are.equal(S.hash(1), S.hash(true))
    assert.are.equal(S.hash(0), S.hash(false))
    assert.are_not.equal(S.hash(1.5), S.hash(1))
    assert.are_not.equal(S.hash("1"), S.hash(1))
    assert.are.equal(S.hash(0 / 0), S.hash(-(0 / 0)))
    -- The same items through arrays of every dtype.
    for _, dt in ipairs {"uint8", "int32", "int64", "float32", "float64"} do
      local b = S.bloom(100, 0.001)
      b:add(ts.arange(1, 50):astype(dt))
      for i = 1, 50 do assert.is_true(b:contains(i), dt .. " " .. i) end
      assert.is_true(b:contains(7.0))
      local hll = S.hll(10):add(ts.array({1, 2, 3}):astype(dt))
      assert.are.equal(S.hll(10):add(1):add(2):add(3):serialize(), hll:serialize())
    end
    local f = S.bloom(100, 0.001):add(ts.array({0.5, 2.25}))
    assert.is_true(f:contains(0.5)); assert.is_true(f:contains(2.25))
    assert.is_false(f:contains(2))
    local bools = S.hll(10):add(ts.array({true, false}))
    assert.are.equal(S.hll(10):add(1):add(0):serialize(), bools:serialize())
  end)

  it("strings are MurmurHash3_x64_128 with seed 0", function()
    local h1, h2 = S.hash("")
    assert.are.equal(0, h1); assert.are.equal(0, h2)
    local b = S.bloom(1000, 0.01):add("apple"):add("pear")
    assert.is_true(b:contains("apple")); assert.is_true(b:contains("pear"))
    assert.is_false(b:contains("plum"))
  end)
end)

describe("hll", function()
  it("is within 3 standard errors at p = 14 for 1e5, 1e6 and 1e7 distinct items", function()
    local se = 1.04 / math.sqrt(2 ^ 14)
    for _, n in ipairs(SIZES) do
      local s = add_stream(S.hll(14), n)
      within(s:count(), n, 3 * se * n, "hll(14) at " .. n)
    end
  end)

  it("is accurate at small cardinalities (sparse, linear counting, bias-corrected)", function()
    local se = 1.04 / math.sqrt(2 ^ 14)
    for _, n in ipairs {1, 10, 100, 1000, 4000, 8000, 12000, 16000, 24000, 40000, 60000, 80000} do
      local s = S.hll(14):add(ts.arange(n)):add(ts.arange(n // 2 + 1))
      within(s:count(), n, math.max(3 * se * n, 0.5), "hll(14) at " .. n)
    end
    assert.is_true(S.hll(14):add(ts.arange(4000)):info().sparse)
    assert.is_false(S.hll(14):add(ts.arange(5000)):info().sparse)
  end)

  it("has no bias around the linear-counting threshold (30 streams each, p = 10)", function()
    local m, R = 2 ^ 10, 30
    local se = 1.04 / math.sqrt(m)
    for _, f in ipairs {0.3, 0.5, 0.7, 1.0, 1.5, 2, 3, 4, 5, 6} do
      local n = math.floor(f * m)
      local sum, sq = 0, 0
      for r = 1, R do
        local first = r * 100000000
        local rel = (S.hll(10):add(ts.arange(first, first + n - 1)):count() - n) / n
        sum, sq = sum + rel, sq + rel * rel
      end
      within(sum / R, 0, 3 * se / math.sqrt(R), ("mean relative error at %.1fm"):format(f))
      assert.is_true(math.sqrt(sq / R) < 1.25 * se, ("rms relative error at %.1fm"):format(f))
    end
  end)

  it("works at every precision", function()
    for p = 4, 18 do
      local s = S.hll(p):add(ts.arange(200000))
      within(s:count(), 200000, 4 * 1.04 / math.sqrt(2 ^ p) * 200000, "p=" .. p)
      assert.are.equal(p, s:info().precision)
    end
  end)

  it("merged sketches equal a sketch of the union stream", function()
    for _, n in ipairs {1e3, 1e5, 1e6} do
      local a = add_stream(S.hll(14), n)
      local b = add_stream(S.hll(14), n, n // 2)
      local u = add_stream(add_stream(S.hll(14), n), n, n // 2)
      assert.are.equal(u:serialize(), a:merge(b):serialize())
    end
  end)

  it("does not depend on the thread count or on batching", function()
    local saved = ts.threads()
    ts.threads(1)
    local one = add_stream(S.hll(12), 1e6):serialize()
    ts.threads(2)
    local two = add_stream(S.hll(12), 1e6):serialize()
    ts.threads(saved)
    assert.are.equal(one, two)
    local single = S.hll(12)
    for i = 1, 20000 do single:add(i) end
    assert.are.equal(S.hll(12):add(ts.arange(20000)):serialize(), single:serialize())
  end)

  it("round-trips through serialize and load, sparse and dense", function()
    for _, n in ipairs {0, 10, 3000, 100000} do
      local s = S.hll(14):add(ts.arange(n))
      local r = S.load(s:serialize())
      assert.are.equal(s:serialize(), r:serialize())
      assert.are.equal(s:count(), r:count())
      assert.are.equal(tostring(s), tostring(r))
    end
    assert.is_true(#S.hll(14):add(1):serialize() < 40)
  end)

  it("reports bytes and shows parameters, fill and estimate", function()
    local s = S.hll(14)
    assert.is_true(s:bytes() < 1000)
    s:add(ts.arange(100000))
    assert.is_true(s:bytes() >= 16384 and s:bytes() < 17000)
    local text = tostring(s)
    assert.truthy(text:find("p=14", 1, true))
    assert.truthy(text:find("dense", 1, true))
    assert.truthy(text:find("registers set", 1, true))
    assert.truthy(text:find("estimate=", 1, true))
  end)
end)

describe("bloom", function()
  it("measures a false-positive rate within 1.5x of its target at capacity", function()
    for _, n in ipairs(SIZES) do
      for _, p in ipairs(n < 1e7 and {0.01, 0.001} or {0.01}) do
        local b = S.bloom(n, p)
        b:add(ts.arange(n))
        local members <close> = b:contains(ts.arange(n))
        assert.is_true(members:all(), "false negative")
        local q <close> = ts.arange(n + 1, 2 * n)
        local hits <close> = b:contains(q)
        local rate = hits:sum() / n
        assert(rate <= 1.5 * p and rate >= p / 1.5,
               ("bloom(%g, %g): measured false-positive rate %g"):format(n, p, rate))
        within(b:count(), n, 0.02 * n, "bloom count")
      end
    end
  end)

  it("derives m and k as the book does", function()
    local info = S.bloom(1e6, 0.01):info()
    assert.are.equal(7, info.hashes)
    assert.are.equal(9585088, info.bits)
    local bytes = S.bloom(1e6, 0.01):bytes()
    assert.is_true(bytes >= 9585088 // 8 and bytes < 9585088 // 8 + 256)
  end)

  it("answers membership of an array with a bool array of its shape", function()
    local b = S.bloom(100, 0.001):add(ts.array({1, 2, 3}))
    local q = b:contains(ts.array({{1, 5}, {3, 9}}))
    assert.are.equal("bool", q.dtype)
    assert.are.same({2, 2}, q.shape)
    assert.are.same({{true, false}, {true, false}}, q:totable())
    local strided = ts.arange(12):reshape(3, 4):T()
    local sb = S.bloom(100, 0.001):add(strided[1])
    assert.are.same({true, true, true}, sb:contains(ts.array({1, 5, 9})):totable())
  end)

  it("merged filters equal a filter of the union stream", function()
    local a = add_stream(S.bloom(2e5, 0.01), 1e5)
    local b = add_stream(S.bloom(2e5, 0.01), 1e5, 50001)
    local u = add_stream(add_stream(S.bloom(2e5, 0.01), 1e5), 1e5, 50001)
    assert.are.equal(u:serialize(), a:merge(b):serialize())
    local r = S.load(u:serialize())
    assert.are.equal(u:serialize(), r:serialize())
    assert.truthy(tostring(r):find("fill=", 1, true))
  end)
end)

describe("scalable_bloom", function()
  it("keeps its false-positive rate under the target as it grows", function()
    for _, n in ipairs {1e5, 1e6} do
      local s = S.scalable_bloom(1000, 0.01)
      add_stream(s, n)
      -- Items that look present (false positives) are not counted again.
      assert.is_true(s:count() <= n and s:count() >= (1 - 0.01) * n, "count " .. s:count())
      assert.is_true(s:info().filters > 5)
      assert.is_true(s:info().fp_bound <= 0.01)
      assert.is_true(s:contains(ts.arange(n)):all())
      local q <close> = ts.arange(n + 1, 2 * n)
      local rate = s:contains(q):sum() / n
      assert(rate <= 0.015, ("scalable bloom at %g: rate %g"):format(n, rate))
    end
  end)

  it("adds an array exactly as it adds its elements one at a time", function()
    local a = S.scalable_bloom(64, 0.01):add(ts.arange(5000)):add(ts.arange(100))
    local b = S.scalable_bloom(64, 0.01)
    for i = 1, 5000 do b:add(i) end
    for i = 1, 100 do b:add(i) end
    assert.are.equal(a:serialize(), b:serialize())
    assert.are.equal(a:serialize(), S.load(a:serialize()):serialize())
  end)
end)

describe("kmv", function()
  it("is within 3 relative standard errors for 1e5, 1e6 and 1e7 distinct items", function()
    for _, n in ipairs(SIZES) do
      local s = add_stream(S.kmv(4096), n)
      within(s:count(), n, 3 * n / math.sqrt(4094), "kmv(4096) at " .. n)
      assert.are.equal(s:info().relative_error, 1 / math.sqrt(4094))
    end
  end)

  it("is exact below k", function()
    assert.are.equal(1000, S.kmv(4096):add(ts.arange(1000)):add(ts.arange(500)):count())
  end)

  it("estimates unions and intersections within their bounds", function()
    for _, n in ipairs {1e5, 1e6} do
      local a = add_stream(S.kmv(4096), n)          -- 1 .. n
      local b = add_stream(S.kmv(4096), n, n // 2 + 1) -- n/2+1 .. 3n/2
      local u = a:union(b)
      within(u:count(), 1.5 * n, 3 * 1.5 * n / math.sqrt(4094), "union")
      -- Jaccard 1/3: its standard error is about sqrt(J (1 - J) / k); these
      -- estimates get 4 standard errors (1e5 lands at 3.1: a 1-in-500 draw;
      -- over 40 offsets the mean is 0.3349 and the spread 0.0077).
      within(a:jaccard(b), 1 / 3, 4 * math.sqrt(2 / 9 / 4096), "jaccard")
      within(a:intersection(b), n / 2, 0.06 * n / 2 + 3 * 0.5 * n / math.sqrt(4094), "intersection")
      local whole = add_stream(add_stream(S.kmv(4096), n), n, n // 2 + 1)
      assert.are.equal(whole:serialize(), a:merge(b):serialize())
    end
  end)

  it("round-trips and refuses to merge a different k", function()
    local s = S.kmv(100):add(ts.arange(1000))
    assert.are.equal(s:serialize(), S.load(s:serialize()):serialize())
    h.errors(function() s:merge(S.kmv(200)) end, "kmv:merge: cannot merge KMV sketches of different k (100 and 200)")
    assert.are.equal(100, s:union(S.kmv(200)):info().k)
  end)
end)

describe("countmin", function()
  it("never undercounts and exceeds epsilon * N at most at rate delta", function()
    for _, n in ipairs(SIZES) do
      local cm = S.countmin { epsilon = 1e-4, delta = 0.01, topk = 0 }
      add_stream(cm, n)
      local N = cm:count()
      local items <close> = ts.arange(n)
      local est <close> = cm:count(items)
      -- The truth: 1, plus 1 in the first half, plus 1 for every tenth.
      local truth <close> = ts.ones(n, "int64") + items:le(n // 2):astype("int64")
                            + ((items - 1) % 10):eq(0):astype("int64")
      local over <close> = est - truth
      assert.is_true(over:min() >= 0, "count-min undercounted")
      local info = cm:info()
      local bad = over:gt(info.epsilon * N):sum()
      assert(bad <= info.delta * n, ("%d of %d items over epsilon * N"):format(bad, n))
      -- Mean overcount is about N / width per row, less after the minimum.
      assert.is_true(over:mean() <= N / info.width)
    end
  end)

  it("finds the heavy hitters of a skewed stream", function()
    local cm = S.countmin(2000, 5, 5)
    cm:add(ts.arange(100000))
    cm:add(ts.full(30000, 42)):add(ts.full(20000, 7)):add("word", 25000)
    for i = 1, 100 do cm:add(3.5) end
    local hh = cm:heavy_hitters(0.1)
    assert.are.equal(3, #hh)
    assert.are.equal(42, hh[1].item); assert.is_true(hh[1].count >= 30001)
    assert.are.equal("word", hh[2].item); assert.is_true(hh[2].count >= 25000)
    assert.are.equal(7, hh[3].item)
    assert.is_true(math.type(hh[3].item) == "integer")
    local all = cm:heavy_hitters()
    assert.are.equal(5, #all)
    local r = S.load(cm:serialize())
    assert.are.same(cm:heavy_hitters(), r:heavy_hitters())
    assert.are.equal(cm:serialize(), r:serialize())
  end)

  it("merged sketches equal a sketch of the union stream", function()
    local a = add_stream(S.countmin(5000, 4, 0), 1e5)
    local b = add_stream(S.countmin(5000, 4, 0), 1e5, 3)
    local u = add_stream(add_stream(S.countmin(5000, 4, 0), 1e5), 1e5, 3)
    assert.are.equal(u:serialize(), a:merge(b):serialize())
  end)

  it("counts scalars and the total", function()
    local cm = S.countmin(100, 3)
    cm:add("a"):add("a"):add(1, 5)
    assert.are.equal(2, cm:count("a"))
    assert.are.equal(5, cm:count(1.0))
    assert.are.equal(7, cm:count())
    assert.truthy(tostring(cm):find("width=100, depth=3", 1, true))
  end)
end)

describe("morris", function()
  it("counts in one byte without bias", function()
    local sum, runs, n = 0, 400, 100000
    for seed = 1, runs do sum = sum + S.morris(2, seed):increment(n):count() end
    local sd = math.sqrt(n * (n - 1) / 2) / math.sqrt(runs)
    within(sum / runs, n, 4 * sd, "mean Morris estimate")
    local m = S.morris(1.1)
    m:add(ts.arange(1000000))
    within(m:count(), 1e6, 4 * m:info().relative_error * 1e6, "base 1.1")
    assert.is_true(m:info().counter < 256)
    assert.are.equal(m:serialize(), S.load(m:serialize()):serialize())
    assert.truthy(tostring(m):find("counter=", 1, true))
  end)

  it("merges without bias", function()
    local sum, runs = 0, 400
    for seed = 1, runs do
      local a = S.morris(2, seed):increment(3000)
      local b = S.morris(2, seed + 1000):increment(5000)
      sum = sum + a:merge(b):count()
    end
    within(sum / runs, 8000, 4 * math.sqrt(8000 * 7999 / 2) / math.sqrt(runs), "merged mean")
  end)
end)

describe("sketches in general", function()
  it("give the same result with 1 and 2 threads", function()
    local makers = {
      function() return S.bloom(3e5, 0.01) end,
      function() return S.scalable_bloom(1000, 0.01) end,
      function() return S.hll(14) end,
      function() return S.kmv(1024) end,
      function() return S.countmin(3000, 4, 8) end,
    }
    local saved = ts.threads()
    for _, make in ipairs(makers) do
      local out = {}
      for t = 1, 2 do
        ts.threads(t)
        local s = make()
        add_stream(s, 3e5)
        s:add(ts.arange(0.5, 1000.5, 0.25))  -- floats too
        out[t] = s:serialize()
      end
      assert.are.equal(out[1], out[2], make():info().kind)
    end
    ts.threads(saved)
  end)

  it("accept empty and 0-d arrays", function()
    for _, s in ipairs {S.bloom(10), S.scalable_bloom(), S.hll(), S.kmv(), S.countmin(10, 2)} do
      s:add(ts.zeros(0))
      assert.are.equal(0, s:count() // 1)
      s:add(ts.array(5))
    end
    local b = S.bloom(10):add(ts.array(5))
    local q = b:contains(ts.zeros({0, 3}))
    assert.are.same({0, 3}, q.shape)
    assert.is_true(b:contains(ts.array(5)):get())
    assert.are.equal(1, S.countmin(10, 2):add(ts.array(5)):count(ts.array({5}))[1])
  end)
end)

describe("sketch errors", function()
  it("names the function and says what is wrong", function()
    h.errors(function() S.hll(3) end, "sketch.hll: precision must be an integer from 4 to 18, got 3")
    h.errors(function() S.hll(2.5) end, "sketch.hll: expected an integer precision")
    h.errors(function() S.hll(14):merge(S.hll(12)) end,
             "hll:merge: cannot merge HyperLogLog sketches of different precision (14 and 12)")
    h.errors(function() S.hll(14):merge(S.kmv(10)) end,
             "hll:merge: expected a hll sketch at argument 2, got a kmv sketch")
    h.errors(function() S.hll(14):add({}) end,
             "hll:add: expected a string, number, boolean or array at argument 2, got table")
    h.errors(function() S.hll(14):add() end, "hll:add: expected a string, number, boolean or array at argument 2, got no value")
    h.errors(function() S.bloom(0) end, "sketch.bloom: capacity must be at least 1")
    h.errors(function() S.bloom(100, 1.5) end, "sketch.bloom: false-positive rate must be between 0 and 1, got 1.5")
    h.errors(function() S.bloom("x") end, "sketch.bloom: expected a number for capacity at argument 1, got string")
    h.errors(function() S.bloom(100):merge(S.bloom(200)) end, "bloom:merge: cannot merge Bloom filters of different shape")
    h.errors(function() S.scalable_bloom(100, 0.01, 0.5) end, "sketch.scalable_bloom: growth must be from 1 to 16, got 0.5")
    h.errors(function() S.scalable_bloom():merge(S.scalable_bloom()) end, "scalable_bloom:merge: scalable Bloom filters cannot be merged")
    h.errors(function() S.kmv(1) end, "sketch.kmv: k must be an integer from 2 to 16777216, got 1")
    h.errors(function() S.morris(1) end, "sketch.morris: base must be greater than 1 and at most 16, got 1")
    h.errors(function() S.morris(2):merge(S.morris(3)) end, "morris:merge: cannot merge Morris counters of different base (2 and 3)")
    h.errors(function() S.morris():increment(-1) end, "morris:increment: count must not be negative, got -1")
    h.errors(function() S.countmin(0, 3) end, "sketch.countmin: width must be from 1 to 2^28, got 0")
    h.errors(function() S.countmin { width = 10, depth = 2, epsilon = 0.1 } end, "sketch.countmin: give either width and depth or epsilon and delta")
    h.errors(function() S.countmin(10, 2):add("x", -1) end, "countmin:add: weight must not be negative, got -1")
    h.errors(function() S.countmin(10, 2):merge(S.countmin(10, 3)) end, "countmin:merge: cannot merge count-min sketches of different shape")
    h.errors(function() S.countmin(10, 2):heavy_hitters(2) end, "countmin:heavy_hitters: fraction must be from 0 to 1, got 2")
    h.errors(function() S.hll().count(42) end, "hll:count: expected a hll sketch at argument 1, got number")
    h.errors(function() S.hash(ts.ones(2)) end, "sketch.hash: expected a string, number or boolean at argument 1, got an array")
  end)

  it("rejects bad serialized strings", function()
    h.errors(function() S.load(42) end, "sketch.load: expected a string at argument 1, got number")
    h.errors(function() S.load("hello") end, "sketch.load: not a serialized Tessera sketch (bad magic)")
    local good = S.hll(10):add(ts.arange(100)):serialize()
    h.errors(function() S.load(good:sub(1, 12)) end, "sketch.load: truncated sketch data")
    h.errors(function() S.load(good:sub(1, -2)) end, "sketch.load: corrupt sketch data (checksum mismatch)")
    local flipped = good:sub(1, 9) .. string.char(good:byte(10) ~ 1) .. good:sub(11)
    h.errors(function() S.load(flipped) end, "sketch.load: corrupt sketch data (checksum mismatch)")
    local v9 = good:sub(1, 4) .. "\9" .. good:sub(6)
    h.errors(function() S.load(v9) end, "sketch.load: unsupported sketch format version 9 (this build reads 1)")
  end)

  it("closed sketches and arrays raise errors", function()
    local a = ts.arange(3)
    do local s <close> = S.hll(); a = s end
    h.errors(function() a:count() end, "hll:count: sketch has been closed")
    assert.are.equal("hll(closed)", tostring(a))
    local arr = ts.arange(3)
    do local c <close> = arr end
    h.errors(function() S.hll():add(arr) end, "hll:add: array has been closed")
  end)
end)

describe("sketch help", function()
  it("documents every function of ts.sketch and every sketch method", function()
    assert.truthy(ts.help_text(ts.sketch.hll):find("^ts%.sketch%.hll%(%[p%]%)"))
    assert.truthy(ts.help_text("sketch.bloom"):find("ts.sketch.bloom(capacity", 1, true))
    assert.truthy(ts.help_text("hll:add"):find("whole arrays", 1, true))
    local missing = {}
    for name, fn in pairs(ts.sketch) do
      if not ts._help[fn] then missing[#missing + 1] = "ts.sketch." .. name end
    end
    local samples = {S.bloom(10), S.scalable_bloom(), S.hll(), S.morris(), S.kmv(), S.countmin(10, 2)}
    for _, s in ipairs(samples) do
      local methods = getmetatable(s).__index
      for name, fn in pairs(methods) do
        if not ts._help[fn] then missing[#missing + 1] = s:info().kind .. ":" .. name end
      end
      for _, m in ipairs {"add", "count", "merge", "bytes", "serialize", "info"} do
        assert.is_function(methods[m], s:info().kind .. " lacks " .. m)
      end
      assert.is_string(tostring(s))
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)
end)
