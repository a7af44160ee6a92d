-- ts.prof: exact call counts and a consistent tree, samples where the time
-- goes, native calls with their bytes, memory by line, collapsed stacks,
-- hardware counters (or the reason they are missing), `tessera --profile`,
-- and the error paths.
local ts = require "tessera"
local h = require "helpers"
local P = ts.prof
local build = os.getenv("TESSERA_BUILD")

local function find(list, name, key)
  for _, e in ipairs(list) do
    if e[key or "name"] == name then return e end
  end
end

local function find_prefix(list, prefix)
  for _, e in ipairs(list) do
    if e.name:sub(1, #prefix) == prefix then return e end
  end
end

-- Each node's total is its self time plus its children's totals.
local function assert_tree_consistent(tree)
  local children = {}
  for i, n in ipairs(tree) do
    assert.is_true(n.total >= n.self and n.self >= 0, n.name)
    assert.is_true(n.parent >= 0 and n.parent < i, n.name)  -- parents come first
    children[n.parent] = (children[n.parent] or 0) + n.total
  end
  for i, n in ipairs(tree) do
    local sum = n.self + (children[i] or 0)
    assert.is_true(math.abs(n.total - sum) <= 1e-9 * math.max(1, n.total),
      ("%s: total %.9g, self + children %.9g"):format(n.name, n.total, sum))
  end
end

local function g(a, b) return a + b end
local function f(a, b)
  local r
  for _ = 1, 3 do r = g(a, b) end
  return r
end

describe("ts.prof", function()
  it("has no profile before the first start", function()
    h.errors(function() P.data() end, "prof.data: no profile yet: call ts.prof.start() first")
    h.errors(function() P.report() end, "no profile yet")
    h.errors(function() P.write_collapsed(os.tmpname()) end, "prof.write_collapsed: no profile yet")
  end)

  it("counts calls exactly in the exact mode, with a consistent tree", function()
    local a, b = ts.ones(1000), ts.ones(1000)
    P.start { mode = "exact" }
    assert.is_true(P.running())
    f(a, b)
    P.stop()
    assert.is_false(P.running())
    local d = P.data()
    assert.are.equal("exact", d.mode)
    local ff = find_prefix(d.functions, "f (prof_spec.lua:")
    local gg = find_prefix(d.functions, "g (prof_spec.lua:")
    local add = find(d.functions, "[native] __add")
    assert.are.equal(1, ff.calls)
    assert.are.equal(3, gg.calls)
    assert.are.equal(3, add.calls)
    for _, e in ipairs(d.functions) do assert.is_true(e.total >= e.self, e.name) end
    assert.is_true(ff.total >= gg.total and gg.total >= add.total)
    assert_tree_consistent(d.tree)
    -- f is a root (its caller started the profiler), g is under f, + under g.
    local fi, gi
    for i, n in ipairs(d.tree) do
      if n.name == ff.name then fi = i end
      if n.name == gg.name then gi = i end
    end
    assert.are.equal(0, d.tree[fi].parent)
    assert.are.equal(fi, d.tree[gi].parent)
    for _, n in ipairs(d.tree) do
      if n.name == "[native] __add" then assert.are.equal(gi, n.parent) end
    end
    assert.is_nil(find_prefix(d.functions, "[native] prof."))  -- the profiler's own calls
  end)

  it("keeps the tree right when an error unwinds frames", function()
    local function boom() error("boom") end
    local function deep() boom() end
    local function after() return 1 end
    local function outer()
      pcall(deep)
      return after()
    end
    P.start { mode = "exact" }
    outer()
    P.stop()
    local d = P.data()
    assert_tree_consistent(d.tree)
    local oi
    for i, n in ipairs(d.tree) do
      if n.name:find("^outer ") then oi = i end
    end
    for _, n in ipairs(d.tree) do
      if n.name:find("^after ") then assert.are.equal(oi, n.parent) end
    end
  end)

  it("counts native calls exactly with the bytes of operands and results", function()
    local a, b = ts.ones(1000), ts.ones(1000)
    P.start()
    for _ = 1, 10 do local _ = a + b end
    local out = ts.empty(1000)
    for _ = 1, 4 do ts.add(a, b, out) end  -- into out: a, b and out once each
    local s = ts.sum(a)
    P.stop()
    assert.are.equal(1000, s)
    local d = P.data()
    local add = find(d.natives, "add")
    assert.are.equal(14, add.calls)
    assert.are.equal(14 * 24000, add.bytes)
    assert.is_true(add.time > 0)
    local sum = find(d.natives, "sum")
    assert.are.equal(1, sum.calls)
    assert.are.equal(8000, sum.bytes)
    local empty = find(d.natives, "empty")
    assert.are.equal(1, empty.calls)
    assert.are.equal(8000, empty.bytes)
  end)

  it("gives the majority of samples to a busy function", function()
    local clock = os.clock  -- (busted looks globals up through metamethods)
    local function busy()
      local s, t0 = 0, clock()
      while clock() - t0 < 0.2 do s = s + 1 end
      return s
    end
    local function idle() return 1 end
    P.start { interval = 0.001 }
    busy()
    idle()
    P.stop()
    local d = P.data()
    assert.are.equal("sample", d.mode)
    assert.are.equal(0.001, d.interval)
    assert.is_true(d.samples >= 10, "samples: " .. d.samples)
    local e = find_prefix(d.functions, "busy (prof_spec.lua:")
    local seen = {}
    for _, x in ipairs(d.functions) do seen[#seen + 1] = x.name .. "=" .. x.self_samples end
    assert.is_true(e.self_samples > d.samples / 2,
      ("%d of %d: %s"):format(e.self_samples, d.samples, table.concat(seen, ", ")))
    assert.is_nil(e.calls)  -- the sampling mode does not count calls
    assert.are.equal(e.self_samples * d.interval, e.self)
    assert_tree_consistent(d.tree)
  end)

  it("samples time spent in kernels as native leaves", function()
    local x = ts.ones(2000000)
    local clock = os.clock
    local function kernels()
      local t0 = clock()
      while clock() - t0 < 0.2 do x = ts.sqrt(x) end
    end
    P.start()
    kernels()
    P.stop()
    local d = P.data()
    local leaf = find(d.functions, "[native] sqrt")
    assert.is_truthy(leaf, "no native leaf sampled")
    assert.is_true(leaf.self_samples > 0)
    for _, n in ipairs(d.tree) do
      if n.name == "[native] sqrt" then
        assert.truthy(d.tree[n.parent].name:find("^kernels "))
      end
    end
  end)

  it("tracks array memory by the allocating line", function()
    P.start()
    local a, b, c = ts.zeros(1000), ts.zeros(1000), ts.zeros(1000); local line = debug.getinfo(1, "l").currentline
    local where = "prof_spec.lua:" .. line
    local site = find(P.data().memory.sites, where, "where")
    assert.is_truthy(site, where)
    assert.are.equal(3, site.allocations)
    assert.are.equal(24000, site.bytes)
    assert.are.equal(24000, site.live)
    assert.are.equal(24000, site.peak)
    a, b, c = nil, nil, nil
    collectgarbage()
    collectgarbage()
    site = find(P.data().memory.sites, where, "where")
    P.stop()
    assert.are.equal(0, site.live)
    assert.are.equal(24000, site.peak)
    assert.are.equal(3, site.allocations)
    local m = P.data().memory
    assert.is_true(m.allocations >= 3 and m.bytes >= 24000 and m.peak >= 24000)
  end)

  it("writes collapsed stacks that flame-graph tools read", function()
    local x = ts.ones(1000000)
    local function inner() for _ = 1, 5 do x = x * 1.0 end end
    local function outer() inner() end
    P.start { mode = "exact" }
    outer()
    P.stop()
    local path = os.tmpname()
    P.write_collapsed(path)
    local n, found = 0, false
    for line in io.lines(path) do
      n = n + 1
      local stack, weight = line:match("^(.+) (%d+)$")
      assert.is_truthy(stack, line)
      assert.is_true(tonumber(weight) > 0)
      for frame in (stack .. ";"):gmatch("(.-);") do assert.is_true(#frame > 0, line) end
      if stack:find("outer %(.-;inner %(.-;%[native%] __mul$") then found = true end
    end
    os.remove(path)
    assert.is_true(n > 0)
    assert.is_true(found, "no outer;inner;[native] __mul stack")
    h.errors(function() P.write_collapsed("/nonexistent/dir/x.txt") end,
      "prof.write_collapsed: cannot open '/nonexistent/dir/x.txt'")
    h.errors(function() P.write_collapsed(1) end, "prof.write_collapsed: expected a file name")
  end)

  it("reports tables of functions, native calls and memory", function()
    local a = ts.ones(1000)
    P.start { mode = "exact" }
    for _ = 1, 3 do a = g(a, a) end
    P.stop()
    local path = os.tmpname()
    local text = P.report { sort = "calls", limit = 5, file = path }
    local f = assert(io.open(path))
    assert.are.equal(text, f:read("a"))
    f:close()
    os.remove(path)
    assert.truthy(text:find("Lua functions (by calls):", 1, true))
    assert.truthy(text:find("Native calls (by time;", 1, true))
    assert.truthy(text:find("Array memory by line (by peak;", 1, true))
    assert.truthy(text:find("%s3%s+[%d.]+%s+[%d.]+%s+g %(prof_spec%.lua:%d+%)"), text)
    -- g's a + b allocates the results
    assert.truthy(text:find("prof_spec.lua:" .. debug.getinfo(g, "S").linedefined .. "\n", 1, true), text)
    h.errors(function() P.report { sort = "bogus" } end, "prof.report: expected sort")
    h.errors(function() P.report { limit = 0 } end, "prof.report: expected a positive integer limit")
    h.errors(function() P.report(3) end, "prof.report: expected an options table")
  end)

  it("raises for stop without start, start twice and bad options", function()
    h.errors(function() P.stop() end, "prof.stop: the profiler is not running")
    P.start()
    h.errors(function() P.start() end, "prof.start: the profiler is already running")
    P.stop()
    h.errors(function() P.stop() end, "prof.stop: the profiler is not running")
    h.errors(function() P.start { mode = "fast" } end, "prof.start: expected mode 'sample' or 'exact', got fast")
    h.errors(function() P.start { interval = 0 } end, "prof.start: expected an interval from 0.0001 to 1 seconds")
    h.errors(function() P.start(5) end, "prof.start: expected an options table")
    assert.is_false(P.running())
  end)

  it("counts hardware events for a region or says why not", function()
    local c, r = P.counters(function()
      local x = ts.ones(100000)
      return ts.sum(x * 2)
    end, { quiet = true })
    assert.are.equal(200000, r)
    assert.is_true(c.time > 0)
    if c.instructions then
      assert.is_true(c.instructions > 100000)
    else
      assert.truthy(c.unavailable:find("instructions: ", 1, true), c.unavailable)
    end
    local only = P.counters(function() end, { events = { "page_faults" }, quiet = true })
    assert.is_nil(only.cycles)
    assert.is_true(only.page_faults ~= nil or only.unavailable ~= nil)
    h.errors(function() P.counters(42) end, "prof.counters: expected a function at argument 1, got number")
    h.errors(function() P.counters(function() end, { events = { "flops" } }) end,
      "prof.counters: unknown event 'flops'")
    h.errors(function() P.counters(function() error("inner failure") end, { quiet = true }) end,
      "inner failure")
  end)

  it("profiles a script with tessera --profile", function()
    assert(build, "TESSERA_BUILD is not set")
    local script, out = os.tmpname(), os.tmpname()
    local f = assert(io.open(script, "w"))
    f:write("local ts = require 'tessera'\n",
            "local function work() local x = ts.ones(1000); for i = 1, 7 do x = x + 1 end return x end\n",
            "print(work():sum())\n")
    f:close()
    local cmd = ("'%s/tessera' --profile=exact --profile-out='%s' '%s' 2>&1; echo rc=$?"):format(build, out, script)
    local p = assert(io.popen(cmd))
    local text = p:read("a")
    p:close()
    assert.truthy(text:find("rc=0\n", 1, true), text)
    assert.truthy(text:find("8000.0", 1, true), text)
    assert.truthy(text:find("Profile: exact", 1, true), text)
    assert.truthy(text:find("%s7%s+[%d.]+%s+[%d.]+%s+%[native%] __add"), text)
    assert.truthy(text:find("collapsed stacks written to", 1, true), text)
    local lines = 0
    for line in io.lines(out) do
      assert.truthy(line:match("^.+ %d+$"), line)
      lines = lines + 1
    end
    assert.is_true(lines > 0)
    os.remove(script)
    os.remove(out)
  end)

  it("documents every function", function()
    for name, fn in pairs(P) do
      if type(fn) == "function" then assert.is_truthy(ts._help[fn], "ts.prof." .. name) end
    end
  end)
end)
