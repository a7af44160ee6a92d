-- ts.par: worker Lua states, values crossing between states, shared arrays,
-- errors, futures, init and atomics.
local ts = require "tessera"
local h = require "helpers"

describe("ts.par.map", function()
  it("maps over 1..n and over a table of items, in order", function()
    assert.are.same({ 1, 4, 9, 16, 25 }, ts.par.map(function(i) return i * i end, 5))
    assert.are.same({ "A", "B", "C" }, ts.par.map(string.upper, { "a", "b", "c" }))
    assert.are.same({}, ts.par.map(function(i) return i end, 0))
    assert.are.same({}, ts.par.map(function(i) return i end, {}))
  end)

  it("copies items and results deeply, keeping shared and cyclic references", function()
    local shared = { 1, 2 }
    local item = { a = shared, b = shared, name = "x", flag = true, [3.5] = "float key" }
    item.self = item
    local r = ts.par.map(function(t)
      assert(t.a == t.b and t.self == t)
      t.a[1] = 100  -- a copy: the caller's table is untouched
      return { sum = t.a[1] + t.a[2], name = t.name, flag = t.flag, f = t[3.5] }
    end, { item })
    assert.are.same({ sum = 102, name = "x", flag = true, f = "float key" }, r[1])
    assert.are.equal(1, shared[1])
  end)

  it("sends functions with their upvalues, helpers and recursion included", function()
    local k = 10
    local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
    local function helper(x) return fib(x) + k end
    local sqrt = math.sqrt
    local r = ts.par.map(function(i) return helper(i) + sqrt(16) end, 10)
    assert.are.equal(55 + 10 + 4, r[10])
    -- two closures sharing an upvalue still share it in the worker
    local count = 0
    local function inc() count = count + 1 end
    local function get() return count end
    local got = ts.par.map(function() inc(); inc(); return get() end, 1)
    assert.are.equal(2, got[1])
    assert.are.equal(0, count)  -- the worker changed its own copy
  end)

  it("finds modules and module functions by name in the workers", function()
    local zeros, tsr = ts.zeros, ts.random
    local r = ts.par.map(function(i)
      return zeros(i):sum() + ts.ones(i):sum() + tsr.new(1):integers(1, 1) + #h.values(ts.ones(2))
    end, 3)
    assert.are.same({ 4, 5, 6 }, r)
  end)

  it("shares arrays without copying: worker writes are visible", function()
    local a = ts.zeros(1000)
    ts.par.map(function(i) a[i] = i end, 1000, { chunksize = 7 })
    assert.are.equal(1000 * 1001 / 2, a:sum())
    local view = a[{ { 2, 10, 2 } }]
    local r = ts.par.map(function(v) v:fill_(-1); return v.size end, { view })
    assert.are.equal(5, r[1])
    assert.are.equal(-1, a:get(2))
    assert.are.equal(3, a:get(3))
    -- arrays made in workers come back
    local made = ts.par.map(function(i) return ts.full({ 2 }, i) end, 3)
    assert.are.same({ 3, 3 }, made[3]:totable())
  end)

  it("runs static and dynamic schedules, and returns unordered results with their indices", function()
    local workers = ts.par.workers()
    local ids = ts.par.map(function() return ts.par.worker_id() end, 4 * workers,
      { schedule = "static", chunksize = 1 })
    for i = 1, #ids do assert.are.equal((i - 1) % workers + 1, ids[i]) end
    local res, idx = ts.par.map(function(i) return i * 2 end, 50, { ordered = false, chunksize = 3 })
    assert.are.equal(50, #res)
    local seen = {}
    for k = 1, 50 do
      assert.are.equal(idx[k] * 2, res[k])
      seen[idx[k]] = true
    end
    for i = 1, 50 do assert.is_true(seen[i]) end
  end)

  it("raises a worker's error with its message and traceback, cancels the rest, and stays usable", function()
    local done = ts.par.atomic(0)
    local err = h.errors(function()
      ts.par.map(function(i)
        if i == 3 then error("boom at " .. i) end
        done:add()
        return i
      end, 10000, { chunksize = 1 })
    end, "boom at 3")
    assert.truthy(err:find("item 3 failed in a worker", 1, true))
    assert.truthy(err:find("stack traceback", 1, true))
    assert.is_true(done:get() < 9999)  -- cancelled
    assert.are.same({ 2, 4 }, ts.par.map(function(i) return 2 * i end, 2))
  end)

  it("names what cannot cross", function()
    local co = coroutine.create(function() end)
    h.errors(function() ts.par.map(function() return co end, 1) end, "upvalue 'co' is a coroutine")
    h.errors(function() ts.par.map(function(x) return x end, { 1, { f = io.stdout } }) end,
      "item 2 > field 'f' is a userdata")
    h.errors(function() ts.par.map(function() return coroutine.create(print) end, 1) end,
      "the result of item 1 is a coroutine")
    local obj = setmetatable({}, { __index = {} })
    h.errors(function() ts.par.map(function() return obj end, 1) end, "a table with a metatable")
    h.errors(function() ts.par.map(function() return h.closed() end, 1) end, "closed array")
    h.errors(function() ts.par.map(1, 2) end, "expected a function")
    h.errors(function() ts.par.map(print, 2, { schedule = "guided" }) end, "schedule")
  end)

  it("does not run inside a worker", function()
    h.errors(function() ts.par.map(function() return ts.par.map(print, 1) end, 1) end,
      "cannot be called inside a worker")
  end)

  it("collects arrays made in workers", function()
    collectgarbage()
    local before = ts.memory().live
    ts.par.map(function() for _ = 1, 20 do local _ = ts.ones(100000) end end, 4, { chunksize = 1 })
    collectgarbage()
    assert.is_true(ts.memory().live - before < 4 * 800000)
  end)

  it("uses ts.threads() workers and follows changes", function()
    local saved = ts.threads()
    ts.threads(1)
    assert.are.equal(1, ts.par.workers())
    assert.are.same({ 1, 1, 1 }, ts.par.map(function() return ts.par.worker_id() end, 3))
    ts.threads(2)
    assert.are.equal(2, ts.par.workers())
    ts.threads(saved)
  end)

  it("gives the same random numbers at any thread count with spawned generators", function()
    local saved = ts.threads()
    local function run()
      local kids = ts.random.new(12):spawn(8)
      return ts.par.map(function(g) return g:normal(1000):sum() end, kids)
    end
    ts.threads(1)
    local one = run()
    ts.threads(2)
    local two = run()
    ts.threads(saved)
    assert.are.same(one, two)
  end)
end)

describe("ts.par.spawn and futures", function()
  it("returns every result and waits", function()
    local f = ts.par.spawn(function(a, b) return a + b, a * b, "x" end, 3, 4)
    assert.are.same({ 7, 12, "x" }, { f:result() })
    assert.is_true(f:wait(1))
    assert.is_true(f:done())
    assert.truthy(tostring(f):find("done"))
  end)

  it("waits for all or any, with timeouts", function()
    local saved = ts.threads()
    ts.threads(2)  -- one worker stays busy below while another answers
    local fs = {}
    for i = 1, 6 do fs[i] = ts.par.spawn(function(x) return x * 10 end, i) end
    assert.are.same({ 10, 20, 30, 40, 50, 60 }, ts.par.wait_all(fs))
    local stop = ts.par.flag()
    local slow = ts.par.spawn(function() while not stop:is_set() do end return "late" end)
    assert.is_false(slow:wait(0.05))
    local i, f = ts.par.wait_any({ slow, ts.par.spawn(function() return 1 end) })
    assert.are.equal(2, i)
    assert.are.equal(1, f:result())
    assert.is_nil(ts.par.wait_any({ slow }, 0.01))
    stop:set()
    assert.are.equal("late", slow:result())
    ts.threads(saved)
  end)

  it("raises the task's error from result and wait_all", function()
    local f = ts.par.spawn(function() error("spawned failure") end)
    h.errors(function() f:result() end, "spawned failure")
    h.errors(function() ts.par.wait_all({ f }) end, "spawned failure")
  end)
end)

describe("ts.par.init", function()
  it("runs once in every worker, now and in later workers", function()
    ts.par.init(function() INIT_COUNT = (INIT_COUNT or 0) + 1 end)
    local counts = ts.par.map(function() return INIT_COUNT end, 2 * ts.par.workers(),
      { schedule = "static", chunksize = 1 })
    for _, c in ipairs(counts) do assert.are.equal(1, c) end
    local saved = ts.threads()
    ts.threads(saved == 1 and 2 or 1)  -- new workers run it too
    assert.are.equal(1, ts.par.map(function() return INIT_COUNT end, 1)[1])
    ts.threads(saved)
    h.errors(function() ts.par.init(function() error("bad init") end) end, "bad init")
  end)
end)

describe("ts.par atomics", function()
  it("count across workers without losing updates", function()
    local c = ts.par.atomic()
    ts.par.map(function() for _ = 1, 1000 do c:add() end end, 8, { chunksize = 1 })
    assert.are.equal(8000, c:get())
    assert.are.equal(8005, c:add(5))
    assert.are.equal(8005, c:exchange(1))
    assert.are.same({ true, 1 }, { c:cas(1, 2) })
    assert.are.same({ false, 2 }, { c:cas(1, 3) })
    assert.are.equal(9, c:max(9))
    assert.are.equal(9, c:max(4))
    assert.are.equal(-1, c:min(-1))
    local m = ts.par.atomic(math.maxinteger)
    ts.par.map(function(i) m:min(i * 7) end, 100)
    assert.are.equal(7, m:get())
  end)

  it("stop a parallel factor search early", function()
    local n = 1000003 * 999983  -- two primes
    local found, smallest = ts.par.flag(), ts.par.atomic(math.maxinteger)
    local checked = ts.par.atomic()
    local step = 10000
    ts.par.map(function(k)
      if found:is_set() then return end
      local lo = math.max(3, (k - 1) * step + 1)
      if lo % 2 == 0 then lo = lo + 1 end
      for d = lo, k * step, 2 do
        if n % d == 0 then
          smallest:min(d)
          found:set()
          return
        end
      end
      checked:add()
    end, 1000, { chunksize = 1 })
    assert.is_true(found:is_set())
    assert.are.equal(999983, smallest:get())
    assert.is_true(checked:get() < 1000)
    assert.is_false(ts.par.flag():test_and_set())
  end)
end)
