-- The buffer pool and ts.memory: freed buffers are reused by size class,
-- bounded, and given back; threads and the runtime's configuration.
local ts = require "tessera"

describe("ts.memory", function()
  it("counts live bytes exactly", function()
    collectgarbage()
    local before = ts.memory().live
    local a = ts.zeros(1000)             -- 8000 bytes
    local b = ts.zeros(10, "int32")      -- 40 bytes
    assert.are.equal(before + 8040, ts.memory().live)
    a, b = nil, nil
    collectgarbage()
    assert.are.equal(before, ts.memory().live)
  end)

  it("reuses a freed buffer of the same size class", function()
    collectgarbage()
    local hits = ts.memory().pool_hits
    do local a <close> = ts.ones(100000) end
    local b = ts.ones(100000)
    assert.is_true(ts.memory().pool_hits > hits)
    assert.are.equal(1, b:get(100000))
  end)

  it("a reused buffer for zeros is zeroed", function()
    do local a <close> = ts.full({50000}, 7.0) end
    local z = ts.zeros(50000)
    assert.are.equal(0, z:sum())
  end)

  it("trim returns the pool to the system", function()
    do local a <close> = ts.ones(200000) end
    assert.is_true(ts.memory().pooled > 0)
    assert.are.equal(0, ts.memory({ trim = true }).pooled)
  end)

  it("peak is at least live", function()
    local m = ts.memory()
    assert.is_true(m.peak >= m.live)
    assert.is_true(m.allocations > 0)
  end)

  it("rejects bad options", function()
    local ok, err = pcall(ts.memory, 3)
    assert.is_false(ok)
    assert.truthy(err:find("memory: expected an options table", 1, true))
  end)
end)

describe("ts.threads and ts.config", function()
  it("sets and reports the thread cap", function()
    local old = ts.threads()
    assert.are.equal(1, ts.threads(1))
    assert.are.equal(1, ts.config().threads)
    assert.are.equal(2, ts.threads(2))
    ts.threads(old)
    assert.is_false(pcall(ts.threads, 0))
    assert.is_false(pcall(ts.threads, "x"))
  end)

  it("names the instruction set and versions", function()
    local c = ts.config()
    assert.truthy(({ ["sse4.2"] = true, ["avx2+fma"] = true, avx512bw = true })[c.simd])
    assert.truthy(c.lua:find("5.4", 1, true))
    assert.truthy(c.tbb and c.xsimd and c.xtensor)
  end)

  it("element-wise results do not depend on the thread count", function()
    local x = ts.linspace(-50, 50, 300001)
    local old = ts.threads()
    local r = {}
    for _, n in ipairs { 1, 2 } do
      ts.threads(n)
      local y = ts.sin(x) * ts.exp(x / 25) + ts.sqrt(ts.abs(x)) ^ 2 - x:T()
      r[n] = { y:get(1), y:get(150000), y:get(-1), y:sum() }
    end
    ts.threads(old)
    for i = 1, 4 do assert.are.equal(r[1][i], r[2][i]) end
  end)
end)
