-- ts.stats.online: single-pass statistics fed block by block agree with the
-- in-memory reductions and with NumPy's histogram conventions.
local ts = require "tessera"

local function close(a, b, tol)
  assert.is_true(math.abs(a - b) <= tol * math.max(1, math.abs(b)), ("%.17g vs %.17g"):format(a, b))
end

describe("ts.stats.online", function()
  it("matches the in-memory mean, var, std, min and max in any block split", function()
    local x = ts.sin(ts.arange(100000):astype("float64") * 0.37) * 1e3 + 5e6
    for _, rows in ipairs({100000, 4096, 777, 1}) do
      local s = ts.stats.online()
      if rows == 1 then
        for i = 1, 1000 do s:update(x:get(i)) end
        local y = x[{{1, 1000}}]
        close(s:mean(), y:mean(), 1e-14)
        close(s:var(), y:var(), 1e-9)
      else
        for first = 1, 100000, rows do s:update(x[{{first, math.min(first + rows - 1, 100000)}}]) end
        assert.are.equal(100000, s:count())
        close(s:mean(), x:mean(), 1e-14)
        close(s:var(), x:var(), 1e-9)
        close(s:var(1), x:var{ddof = 1}, 1e-9)
        close(s:std(), x:std(), 1e-9)
        assert.are.equal(x:min(), s:min())
        assert.are.equal(x:max(), s:max())
      end
    end
  end)

  it("accepts any dtype and layout, and merges", function()
    local a = ts.arange(24):reshape(4, 6):astype("int32")
    local s = ts.stats.online():update(a:T()):update(ts.array({true, false}))
    assert.are.equal(26, s:count())
    close(s:mean(), (a:sum() + 1) / 26, 1e-15)
    local t = ts.stats.online():update(ts.ones(4, "float32"))
    s:merge(t)
    assert.are.equal(30, s:count())
    assert.are.equal(0, s:min())
    assert.are.equal(24, s:max())  -- arange(24) is 1..24
  end)

  it("gives NumPy's histogram for a range", function()
    local s = ts.stats.online{bins = 4, range = {0, 1}}
    s:update(ts.array({-0.5, 0, 0.2, 0.25, 0.5, 0.74, 0.75, 0.999, 1, 1.5, 0 / 0}))
    local counts, edges, below, above = s:histogram()
    -- np.histogram([0, .2, .25, .5, .74, .75, .999, 1], 4, range=(0, 1)) -> [2 1 2 3]
    assert.are.same({2, 1, 2, 3}, counts:totable())
    assert.are.same({0, 0.25, 0.5, 0.75, 1}, edges:totable())
    assert.are.equal(1, below)
    assert.are.equal(1, above)
    assert.is_true(s:mean() ~= s:mean())  -- a NaN makes the moments NaN, as in NumPy
    assert.is_true(s:max() ~= s:max())
  end)

  it("is empty before any data and reports bad arguments", function()
    local s = ts.stats.online()
    assert.are.equal(0, s:count())
    assert.is_true(s:mean() ~= s:mean())
    assert.error_matches(function() s:histogram() end, "histogram: no histogram", 1, true)
    assert.error_matches(function() ts.stats.online{bins = 3} end, "needs range", 1, true)
    assert.error_matches(function() ts.stats.online{bins = 0, range = {0, 1}} end, "at least 1", 1, true)
    assert.error_matches(function() ts.stats.online{range = {1, 1}} end, "lo < hi", 1, true)
    assert.error_matches(function() s:update("x") end, "update: expected an array", 1, true)
    assert.error_matches(function() s:merge(ts.stats.online{bins = 2, range = {0, 1}}) end,
      "different histogram bins", 1, true)
    assert.is_truthy(tostring(s):find("online statistics", 1, true))
    assert.is_truthy(ts._help[ts.stats.online])
    assert.is_truthy(ts._help[s.update])
  end)
end)
